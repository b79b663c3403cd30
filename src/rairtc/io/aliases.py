"""What clinicians type instead of the codes: the one table of Russian and Kazakh aliases.

Pure data, read by the table readers (:mod:`rairtc.io.cells`, :mod:`rairtc.io.headers`) and
by the template writer (:mod:`rairtc.io.template`), and printed in ``docs/data-format.md``. For
each language the first alias of a code is the one the template offers in its drop-down lists.

Matching ignores case, ``ё``/``е`` and repeated spaces for codes and headers; units are matched
exactly, because case is the SI prefix (``мБк`` is millibecquerel, ``МБк`` megabecquerel).
"""

from __future__ import annotations

from enum import StrEnum

from rairtc.core.codes import (
    Extension,
    FindingKind,
    Histology,
    LabTest,
    Modality,
    NodalLevel,
    Procedure,
    Recommendation,
    Sex,
    Side,
    Site,
    Stimulation,
    Variant,
)

LANGUAGES = ("en", "ru", "kk")

# (enum, code) -> {language: aliases}; codes without an entry are typed as their code.
# Keyed by the enum too: Modality.FDG_PET_CT and Recommendation.FDG_PET_CT are equal strings.
CODE_ALIASES: dict[tuple[type[StrEnum], StrEnum], dict[str, tuple[str, ...]]] = {
    (Sex, Sex.F): {"ru": ("Ж", "жен", "женский"), "kk": ("Ә", "әйел")},
    (Sex, Sex.M): {"ru": ("М", "муж", "мужской"), "kk": ("Е", "ер")},
    (Histology, Histology.PAPILLARY): {"ru": ("папиллярный", "папиллярная"), "kk": ("папиллярлы",)},
    (Histology, Histology.FOLLICULAR): {
        "ru": ("фолликулярный", "фолликулярная"),
        "kk": ("фолликулярлы",),
    },
    (Histology, Histology.ONCOCYTIC): {
        "ru": ("онкоцитарный", "онкоцитарная", "гюртлеклеточный"),
        "kk": ("онкоцитарлы",),
    },
    (Histology, Histology.POORLY_DIFFERENTIATED): {
        "ru": ("низкодифференцированный", "низкодифференцированная"),
        "kk": ("төмен сараланған",),
    },
    (Histology, Histology.ANAPLASTIC): {
        "ru": ("анапластический", "анапластическая"),
        "kk": ("анапластикалық",),
    },
    (Histology, Histology.MEDULLARY): {"ru": ("медуллярный", "медуллярная"), "kk": ("медуллярлы",)},
    (Variant, Variant.CLASSIC): {"ru": ("классический",), "kk": ("классикалық",)},
    (Variant, Variant.FOLLICULAR_VARIANT): {
        "ru": ("фолликулярный вариант",),
        "kk": ("фолликулярлы нұсқа",),
    },
    (Variant, Variant.ENCAPSULATED_FOLLICULAR_VARIANT): {
        "ru": ("инкапсулированный фолликулярный вариант",),
        "kk": ("капсулаланған фолликулярлы нұсқа",),
    },
    (Variant, Variant.TALL_CELL): {"ru": ("высококлеточный",), "kk": ("биік жасушалы",)},
    (Variant, Variant.HOBNAIL): {"ru": ("хобнейл",), "kk": ("хобнейл",)},
    (Variant, Variant.COLUMNAR): {"ru": ("столбчатоклеточный",), "kk": ("бағаналы жасушалы",)},
    (Variant, Variant.SOLID): {"ru": ("солидный",), "kk": ("солидті",)},
    (Variant, Variant.DIFFUSE_SCLEROSING): {
        "ru": ("диффузно-склерозирующий",),
        "kk": ("диффузды-склероздаушы",),
    },
    (Variant, Variant.ONCOCYTIC_VARIANT): {
        "ru": ("онкоцитарный вариант",),
        "kk": ("онкоцитарлы нұсқа",),
    },
    (Variant, Variant.MINIMALLY_INVASIVE): {
        "ru": ("минимально инвазивный",),
        "kk": ("аз инвазивті",),
    },
    (Variant, Variant.WIDELY_INVASIVE): {"ru": ("широко инвазивный",), "kk": ("кең инвазивті",)},
    (Variant, Variant.OTHER): {"ru": ("другой",), "kk": ("басқа",)},
    (Extension, Extension.NONE): {"ru": ("нет", "отсутствует"), "kk": ("жоқ",)},
    (Extension, Extension.MICROSCOPIC): {"ru": ("микроскопическая",), "kk": ("микроскопиялық",)},
    (Extension, Extension.GROSS): {"ru": ("макроскопическая",), "kk": ("макроскопиялық",)},
    (Procedure, Procedure.TOTAL_THYROIDECTOMY): {
        "ru": ("тиреоидэктомия", "тотальная тиреоидэктомия"),
        "kk": ("толық тиреоидэктомия",),
    },
    (Procedure, Procedure.LOBECTOMY): {
        "ru": ("гемитиреоидэктомия", "лобэктомия"),
        "kk": ("лобэктомия",),
    },
    (Procedure, Procedure.COMPLETION_THYROIDECTOMY): {
        "ru": ("завершающая тиреоидэктомия",),
        "kk": ("аяқтаушы тиреоидэктомия",),
    },
    (Procedure, Procedure.CENTRAL_NECK_DISSECTION): {
        "ru": ("центральная лимфодиссекция",),
        "kk": ("орталық лимфодиссекция",),
    },
    (Procedure, Procedure.LATERAL_NECK_DISSECTION): {
        "ru": ("боковая лимфодиссекция", "латеральная лимфодиссекция"),
        "kk": ("бүйір лимфодиссекция",),
    },
    (Procedure, Procedure.RECURRENCE_EXCISION): {
        "ru": ("удаление рецидива",),
        "kk": ("рецидивті алып тастау",),
    },
    (Procedure, Procedure.METASTASECTOMY): {"ru": ("метастазэктомия",), "kk": ("метастазэктомия",)},
    (Stimulation, Stimulation.WITHDRAWAL): {
        "ru": ("отмена", "отмена L-тироксина"),
        "kk": ("тоқтату", "L-тироксинді тоқтату"),
    },
    (Stimulation, Stimulation.RHTSH): {"ru": ("рчТТГ", "тироген"), "kk": ("рчТТГ",)},
    (Modality, Modality.POST_THERAPY_WBS): {
        "ru": ("посттерапевтическая сцинтиграфия", "посттерапевтическая СВТ"),
        "kk": ("емнен кейінгі сцинтиграфия",),
    },
    (Modality, Modality.POST_THERAPY_SPECT_CT): {
        "ru": ("ОФЭКТ/КТ", "ОФЭКТ-КТ"),
        "kk": ("ОФЭКТ/КТ",),
    },
    (Modality, Modality.DIAGNOSTIC_WBS): {
        "ru": ("диагностическая сцинтиграфия", "диагностическая СВТ"),
        "kk": ("диагностикалық сцинтиграфия",),
    },
    (Modality, Modality.FDG_PET_CT): {"ru": ("ПЭТ-КТ", "ПЭТ/КТ"), "kk": ("ПЭТ-КТ",)},
    (Modality, Modality.NECK_US): {"ru": ("УЗИ шеи",), "kk": ("мойын УДЗ",)},
    (Modality, Modality.CT): {"ru": ("КТ",), "kk": ("КТ",)},
    (Modality, Modality.MRI): {"ru": ("МРТ",), "kk": ("МРТ",)},
    (Site, Site.THYROID_BED): {"ru": ("ложе щитовидной железы",), "kk": ("қалқанша без орны",)},
    (Site, Site.CERVICAL_LYMPH_NODE): {
        "ru": ("шейный лимфоузел", "шейный лимфатический узел"),
        "kk": ("мойын лимфа түйіні",),
    },
    (Site, Site.MEDIASTINUM): {"ru": ("средостение",), "kk": ("көкірек ортасы",)},
    (Site, Site.LUNG): {"ru": ("лёгкое", "лёгкие"), "kk": ("өкпе",)},
    (Site, Site.BONE): {"ru": ("кость", "кости"), "kk": ("сүйек",)},
    (Site, Site.BRAIN): {"ru": ("головной мозг",), "kk": ("ми",)},
    (Site, Site.LIVER): {"ru": ("печень",), "kk": ("бауыр",)},
    (Site, Site.OTHER): {"ru": ("другое",), "kk": ("басқа",)},
    (NodalLevel, NodalLevel.RETROPHARYNGEAL): {
        "ru": ("заглоточный",),
        "kk": ("жұтқыншақ артындағы",),
    },
    (Side, Side.LEFT): {"ru": ("слева", "левый", "левая"), "kk": ("сол жақ", "сол")},
    (Side, Side.RIGHT): {"ru": ("справа", "правый", "правая"), "kk": ("оң жақ", "оң")},
    (Side, Side.MIDLINE): {"ru": ("по средней линии",), "kk": ("орта сызық",)},
    (FindingKind, FindingKind.REMNANT): {"ru": ("остаток", "остаточная ткань"), "kk": ("қалдық",)},
    (FindingKind, FindingKind.LOCAL_RECURRENCE): {
        "ru": ("местный рецидив",),
        "kk": ("жергілікті рецидив",),
    },
    (FindingKind, FindingKind.REGIONAL_METASTASIS): {
        "ru": ("регионарный метастаз",),
        "kk": ("өңірлік метастаз",),
    },
    (FindingKind, FindingKind.DISTANT_METASTASIS): {
        "ru": ("отдалённый метастаз",),
        "kk": ("алыс метастаз",),
    },
    (FindingKind, FindingKind.INDETERMINATE): {"ru": ("неопределённый",), "kk": ("анықталмаған",)},
    (LabTest, LabTest.TG): {"ru": ("Тг", "тиреоглобулин"), "kk": ("Тг",)},
    (LabTest, LabTest.TGAB): {"ru": ("АТ-Тг", "антитела к тиреоглобулину"), "kk": ("АТ-Тг",)},
    (LabTest, LabTest.TSH): {"ru": ("ТТГ",), "kk": ("ТТГ",)},
    (Recommendation, Recommendation.SURVEILLANCE_TSH_SUPPRESSION): {
        "ru": ("наблюдение на супрессивной терапии",),
        "kk": ("супрессиялық еммен бақылау",),
    },
    (Recommendation, Recommendation.REPEAT_RAI): {
        "ru": ("повторная РЙТ",),
        "kk": ("қайталама РЙТ",),
    },
    (Recommendation, Recommendation.EMPIRIC_RAI): {
        "ru": ("эмпирическая РЙТ",),
        "kk": ("эмпирикалық РЙТ",),
    },
    (Recommendation, Recommendation.FDG_PET_CT): {"ru": ("ПЭТ-КТ",), "kk": ("ПЭТ-КТ",)},
    (Recommendation, Recommendation.CROSS_SECTIONAL_IMAGING): {
        "ru": ("КТ/МРТ",),
        "kk": ("КТ/МРТ",),
    },
    (Recommendation, Recommendation.NECK_NODE_BIOPSY): {
        "ru": ("биопсия лимфоузла шеи",),
        "kk": ("мойын лимфа түйінінің биопсиясы",),
    },
    (Recommendation, Recommendation.SURGERY_LOCOREGIONAL): {
        "ru": ("хирургическое лечение",),
        "kk": ("хирургиялық ем",),
    },
    (Recommendation, Recommendation.MOLECULAR_TESTING): {
        "ru": ("молекулярное тестирование",),
        "kk": ("молекулалық тестілеу",),
    },
    (Recommendation, Recommendation.SYSTEMIC_MKI): {
        "ru": ("мультикиназный ингибитор",),
        "kk": ("мультикиназалық тежегіш",),
    },
    (Recommendation, Recommendation.SYSTEMIC_TARGETED): {
        "ru": ("таргетная терапия",),
        "kk": ("таргетті ем",),
    },
    (Recommendation, Recommendation.LOCAL_RADIOTHERAPY_OR_ABLATION): {
        "ru": ("лучевая терапия или абляция",),
        "kk": ("сәулелік ем немесе абляция",),
    },
    (Recommendation, Recommendation.REDIFFERENTIATION_THERAPY): {
        "ru": ("редифференцирующая терапия",),
        "kk": ("редифференциациялау емі",),
    },
    (Recommendation, Recommendation.CLINICAL_TRIAL_REFERRAL): {
        "ru": ("направление в клиническое исследование",),
        "kk": ("клиникалық зерттеуге жолдау",),
    },
    (Recommendation, Recommendation.BONE_DIRECTED_SUPPORTIVE): {
        "ru": ("остеомодифицирующая терапия",),
        "kk": ("сүйекке бағытталған демеуші ем",),
    },
    (Recommendation, Recommendation.REASSESS_RAIR_LABEL): {
        "ru": ("пересмотр статуса РЙР",),
        "kk": ("РЙР мәртебесін қайта қарау",),
    },
}

# Yes/no cells; ``true``/``false`` (any case) and 1/0 are the codes themselves.
BOOLEAN_ALIASES: dict[bool, dict[str, tuple[str, ...]]] = {
    True: {"en": ("yes",), "ru": ("да",), "kk": ("иә", "ия")},
    False: {"en": ("no",), "ru": ("нет",), "kk": ("жоқ",)},
}

# Cyrillic letters typed for the Latin letter they look like (Т2, Н1а, М0, Ⅰ as І), read in
# codes only. Н is read as N: in TNM it stands for the Latin N, never for H.
LOOK_ALIKES = str.maketrans(
    {
        "А": "A",
        "В": "B",
        "С": "C",
        "Е": "E",
        "Н": "N",
        "І": "I",
        "К": "K",
        "М": "M",
        "О": "O",
        "Р": "P",
        "Т": "T",
        "Х": "X",
        "а": "a",
        "с": "c",
        "е": "e",
        "н": "n",
        "і": "i",
        "к": "k",
        "м": "m",
        "о": "o",
        "р": "p",
        "т": "t",
        "х": "x",
        "у": "y",
    }
)

# TNM prefixes (clinical, pathological, after therapy, recurrence, autopsy) stripped from
# the T, N and M fields: pT1 -> T1, ypT2 -> T2, cN0 -> N0.
TNM_PREFIXES = ("yp", "yc", "rp", "p", "c", "r", "a", "y")

# Laboratory units as typed in Russian and Kazakh -> the accepted spelling (core.units).
LAB_UNIT_ALIASES: dict[str, str] = {
    "нг/мл": "ng/mL",
    "мкг/л": "ug/L",
    "МЕ/мл": "IU/mL",
    "кМЕ/л": "kIU/L",
    "мЕд/л": "mIU/L",
    "мМЕ/л": "mIU/L",
    "мкМЕ/мл": "uIU/mL",
    "мкЕд/мл": "uIU/mL",
}

# Activity units written after the number in an activity cell -> the unit they name.
ACTIVITY_UNITS: dict[str, str] = {
    "мКи": "mCi",
    "mCi": "mCi",
    "ГБк": "GBq",
    "GBq": "GBq",
    "МБк": "MBq",
    "MBq": "MBq",
}

# Sheet (or CSV file) names: table -> {language: name}. English names are the table names.
TABLE_LABELS: dict[str, dict[str, str]] = {
    "patients": {"ru": "Пациенты", "kk": "Пациенттер"},
    "surgeries": {"ru": "Операции", "kk": "Операциялар"},
    "rai_courses": {"ru": "Курсы РЙТ", "kk": "РЙТ курстары"},
    "imaging": {"ru": "Исследования", "kk": "Зерттеулер"},
    "findings": {"ru": "Находки", "kk": "Ошақтар"},
    "labs": {"ru": "Анализы", "kk": "Талдаулар"},
    "mdt": {"ru": "Консилиумы", "kk": "Консилиумдар"},
    "mdt_recommendations": {"ru": "Рекомендации консилиума", "kk": "Консилиум ұсыныстары"},
}

# Column headers: column -> {language: headers}; the first is the template's header.
_MOLECULAR = {
    "BRAF_V600E": "BRAF V600E",
    "NRAS": "NRAS",
    "HRAS": "HRAS",
    "KRAS": "KRAS",
    "TERT": "TERT",
    "RET_fusion": "RET",
    "NTRK_fusion": "NTRK",
    "ALK_fusion": "ALK",
}
COLUMN_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "patient_id": {"ru": ("ID пациента",), "kk": ("Пациент ID",)},
    "full_name": {"ru": ("ФИО",), "kk": ("Аты-жөні",)},
    "national_id": {"ru": ("ИИН",), "kk": ("ЖСН",)},
    "mrn": {"ru": ("Номер истории болезни",), "kk": ("Ауру тарихының нөмірі",)},
    "sex": {"ru": ("Пол",), "kk": ("Жынысы",)},
    "birth_date": {"ru": ("Дата рождения",), "kk": ("Туған күні",)},
    "diagnosis_date": {"ru": ("Дата диагноза",), "kk": ("Диагноз күні",)},
    "histology": {"ru": ("Гистология",), "kk": ("Гистология",)},
    "variant": {"ru": ("Вариант",), "kk": ("Нұсқа",)},
    "t": {"ru": ("T (TNM)", "Т"), "kk": ("T (TNM)", "Т")},
    "n": {"ru": ("N (TNM)", "Н"), "kk": ("N (TNM)", "Н")},
    "m": {"ru": ("M (TNM)", "М"), "kk": ("M (TNM)", "М")},
    "extrathyroidal_extension": {
        "ru": ("Экстратиреоидное распространение",),
        "kk": ("Экстратиреоидты таралу",),
    },
    "vascular_invasion_foci": {
        "ru": ("Сосудистая инвазия, очагов",),
        "kk": ("Тамырлық инвазия, ошақ саны",),
    },
    "capsular_invasion": {"ru": ("Инвазия капсулы",), "kk": ("Капсула инвазиясы",)},
    "stage_recorded": {"ru": ("Стадия в карте",), "kk": ("Картадағы саты",)},
    "region": {"ru": ("Регион",), "kk": ("Өңір",)},
    "lymph_nodes_positive": {
        "ru": ("Поражённых лимфоузлов",),
        "kk": ("Зақымдалған лимфа түйіндері",),
    },
    "largest_node_mm": {
        "ru": ("Наибольший узел, мм",),
        "kk": ("Ең үлкен түйін, мм",),
    },
    "margins": {"ru": ("Края резекции",), "kk": ("Резекция шеттері",)},
    **{
        f"molecular_{key}": {"ru": (f"{shown}, мутация",), "kk": (f"{shown}, мутация",)}
        for key, shown in _MOLECULAR.items()
    },
    "smoker": {"ru": ("Курит",), "kk": ("Темекі шегеді",)},
    "last_follow_up": {"ru": ("Последнее наблюдение",), "kk": ("Соңғы бақылау",)},
    "deceased_date": {"ru": ("Дата смерти",), "kk": ("Қайтыс болған күні",)},
    "procedure": {"ru": ("Операция",), "kk": ("Операция",)},
    "activity_mci": {"ru": ("Активность, мКи",), "kk": ("Белсенділік, мКи",)},
    "activity_gbq": {"ru": ("Активность, ГБк",), "kk": ("Белсенділік, ГБк",)},
    "stimulation": {"ru": ("Стимуляция",), "kk": ("Ынталандыру",)},
    "tsh_miu_l": {"ru": ("ТТГ, мЕд/л",), "kk": ("ТТГ, мЕд/л",)},
    "centre": {"ru": ("Центр",), "kk": ("Орталық",)},
    "modality": {"ru": ("Метод",), "kk": ("Әдіс",)},
    "progression": {"ru": ("Прогрессирование",), "kk": ("Үдеу",)},
    "imaging_id": {"ru": ("ID исследования",), "kk": ("Зерттеу ID",)},
    "site": {"ru": ("Локализация",), "kk": ("Орналасуы",)},
    "nodal_level": {"ru": ("Уровень лимфоузла",), "kk": ("Лимфа түйінінің деңгейі",)},
    "side": {"ru": ("Сторона",), "kk": ("Жағы",)},
    "kind": {"ru": ("Характер очага",), "kk": ("Ошақ сипаты",)},
    "rai_uptake": {"ru": ("Накопление РЙ",), "kk": ("РЙ жинақталуы",)},
    "fdg_uptake": {"ru": ("Накопление ФДГ",), "kk": ("ФДГ жинақталуы",)},
    "size_mm": {"ru": ("Размер, мм",), "kk": ("Өлшемі, мм",)},
    "new": {"ru": ("Новый очаг",), "kk": ("Жаңа ошақ",)},
    "test": {"ru": ("Анализ",), "kk": ("Талдау",)},
    "value": {"ru": ("Значение",), "kk": ("Мәні",)},
    "unit": {"ru": ("Единицы",), "kk": ("Бірлік",)},
    "stimulated": {"ru": ("На стимуляции",), "kk": ("Ынталандыру кезінде",)},
    "below_limit": {"ru": ("Ниже предела",), "kk": ("Шектен төмен",)},
    "assay_upper_normal": {
        "ru": ("Верхняя граница нормы",),
        "kk": ("Норманың жоғарғы шегі",),
    },
    "note": {"ru": ("Примечание",), "kk": ("Ескертпе",)},
    "mdt_id": {"ru": ("ID консилиума",), "kk": ("Консилиум ID",)},
    "recommendation": {"ru": ("Рекомендация",), "kk": ("Ұсыныс",)},
}

# Columns whose header depends on the table (an ``id`` or ``date`` means different things).
TABLE_COLUMN_LABELS: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {
    ("patients", "id"): {"ru": ("ID пациента",), "kk": ("Пациент ID",)},
    ("surgeries", "id"): {"ru": ("ID операции",), "kk": ("Операция ID",)},
    ("surgeries", "date"): {"ru": ("Дата операции",), "kk": ("Операция күні",)},
    ("rai_courses", "id"): {"ru": ("ID курса",), "kk": ("Курс ID",)},
    ("rai_courses", "date"): {"ru": ("Дата курса",), "kk": ("Курс күні",)},
    ("imaging", "id"): {"ru": ("ID исследования",), "kk": ("Зерттеу ID",)},
    ("imaging", "date"): {"ru": ("Дата исследования",), "kk": ("Зерттеу күні",)},
    ("findings", "id"): {"ru": ("ID находки",), "kk": ("Ошақ ID",)},
    ("labs", "id"): {"ru": ("ID анализа",), "kk": ("Талдау ID",)},
    ("labs", "date"): {"ru": ("Дата анализа",), "kk": ("Талдау күні",)},
    ("mdt", "id"): {"ru": ("ID консилиума",), "kk": ("Консилиум ID",)},
    ("mdt", "date"): {"ru": ("Дата консилиума",), "kk": ("Консилиум күні",)},
}


def column_labels(table: str, column: str) -> dict[str, tuple[str, ...]]:
    """The headers of ``column`` in ``table`` by language, English (the column name) first."""
    labels = TABLE_COLUMN_LABELS.get((table, column)) or COLUMN_LABELS.get(column, {})
    return {"en": (column,), **labels}
