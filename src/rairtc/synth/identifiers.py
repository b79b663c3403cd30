"""Synthetic identifiers: full names, IINs and MRNs that look real and identify no one.

They exist so that pseudonymisation can be seen and tested: a researcher's page or export
must show none of them. Names come from short Kazakh and Russian lists (surname, given name
and patronymic agree with sex). The IIN follows the Kazakh scheme: ``YYMMDD`` of the birth
date, a seventh digit for century and sex (3 male / 4 female born 1900-1999, 5 / 6 born
2000-2099), a four-digit serial and the check digit of the official algorithm (weights 1-11,
then 3-11,1,2 when the first sum gives 10; serials whose check digit would still be 10 are
moved to the next serial). The MRN is the department's running number.

Everything is drawn from a child of the generator's stream (``rng.spawn``), so adding
identifiers changes no other column of a seeded registry.
"""

from __future__ import annotations

import numpy as np

KAZAKH_MALE = ("Asanov", "Nurlanov", "Seitkali", "Zhaksylykov", "Omarov", "Bekov", "Tulegenov")
KAZAKH_FEMALE = ("Asanova", "Nurlanova", "Seitkali", "Zhaksylykova", "Omarova", "Bekova")
KAZAKH_GIVEN_MALE = ("Arman", "Nurlan", "Yerlan", "Daulet", "Askar", "Marat", "Serik", "Bauyrzhan")
KAZAKH_GIVEN_FEMALE = ("Aigerim", "Dana", "Aliya", "Gulnara", "Saule", "Zhanar", "Madina")
KAZAKH_FATHERS = ("Serikuly", "Maratuly", "Askaruly", "Nurlanuly", "Erlanuly")
KAZAKH_FATHERS_F = ("Serikkyzy", "Maratkyzy", "Askarkyzy", "Nurlankyzy", "Erlankyzy")
RUSSIAN_MALE = ("Ivanov", "Petrov", "Smirnov", "Kuznetsov", "Popov", "Volkov", "Sokolov")
RUSSIAN_FEMALE = ("Ivanova", "Petrova", "Smirnova", "Kuznetsova", "Popova", "Volkova")
RUSSIAN_GIVEN_MALE = ("Aleksandr", "Sergei", "Dmitrii", "Andrei", "Mikhail", "Nikolai")
RUSSIAN_GIVEN_FEMALE = ("Elena", "Olga", "Natalia", "Tatiana", "Irina", "Svetlana")
RUSSIAN_FATHERS = ("Ivanovich", "Petrovich", "Sergeevich", "Nikolaevich", "Andreevich")
RUSSIAN_FATHERS_F = ("Ivanovna", "Petrovna", "Sergeevna", "Nikolaevna", "Andreevna")

FIRST_WEIGHTS = np.arange(1, 12)
SECOND_WEIGHTS = np.array([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2])


def _choose(rng: np.random.Generator, options: tuple[str, ...], size: int) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.integers(0, len(options), size)]


def full_names(rng: np.random.Generator, female: np.ndarray) -> np.ndarray:
    """``Surname Given Patronymic``; about six in ten from the Kazakh lists."""
    n = len(female)
    kazakh = rng.random(n) < 0.6
    parts = []
    for male_list, female_list in (
        ((KAZAKH_MALE, RUSSIAN_MALE), (KAZAKH_FEMALE, RUSSIAN_FEMALE)),
        ((KAZAKH_GIVEN_MALE, RUSSIAN_GIVEN_MALE), (KAZAKH_GIVEN_FEMALE, RUSSIAN_GIVEN_FEMALE)),
        ((KAZAKH_FATHERS, RUSSIAN_FATHERS), (KAZAKH_FATHERS_F, RUSSIAN_FATHERS_F)),
    ):
        male = np.where(kazakh, _choose(rng, male_list[0], n), _choose(rng, male_list[1], n))
        fem = np.where(kazakh, _choose(rng, female_list[0], n), _choose(rng, female_list[1], n))
        parts.append(np.where(female, fem, male))
    out: np.ndarray = np.char.add(
        np.char.add(np.char.add(parts[0].astype(str), " "), np.char.add(parts[1].astype(str), " ")),
        parts[2].astype(str),
    ).astype(object)
    return out


def check_digit(digits: np.ndarray) -> np.ndarray:
    """The IIN check digit for rows of 11 digits; 10 where the number is not valid."""
    first = (digits * FIRST_WEIGHTS).sum(axis=1) % 11
    second = (digits * SECOND_WEIGHTS).sum(axis=1) % 11
    result: np.ndarray = np.where(first == 10, second, first)
    return result


def iins(rng: np.random.Generator, birth: np.ndarray, female: np.ndarray) -> np.ndarray:
    """12-digit IINs agreeing with the birth date (``datetime64[D]``) and sex."""
    n = len(birth)
    day = birth.astype("datetime64[D]")
    year = day.astype("datetime64[Y]").astype(int) + 1970
    month = day.astype("datetime64[M]").astype(int) % 12 + 1
    dom = (day - day.astype("datetime64[M]").astype("datetime64[D]")).astype(int) + 1
    century = np.where(year >= 2000, 5, 3) + female.astype(int)
    serial = rng.integers(0, 9990, n)
    digits = np.zeros((n, 11), dtype=int)
    for i, value in enumerate(((year % 100) // 10, year % 10, month // 10, month % 10)):
        digits[:, i] = value
    digits[:, 4], digits[:, 5], digits[:, 6] = dom // 10, dom % 10, century
    check = np.full(n, 10)
    while (bad := check == 10).any():
        serial = np.where(bad, serial + 1, serial)
        for i, place in enumerate((1000, 100, 10, 1)):
            digits[:, 7 + i] = serial // place % 10
        check = np.where(bad, check_digit(digits), check)
    number = (digits * 10 ** np.arange(10, -1, -1, dtype=np.int64)).sum(axis=1) * 10 + check
    out: np.ndarray = np.char.zfill(number.astype(str), 12).astype(object)
    return out


def mrns(n: int, first: int = 100001) -> np.ndarray:
    out: np.ndarray = np.char.add("MRN-", np.arange(first, first + n).astype(str)).astype(object)
    return out
