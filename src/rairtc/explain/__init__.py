"""One patient explained for the MDT note: a dated timeline of what was done and seen, then
the verdict with each criterion's date and evidence sentence, the criteria that could not be
evaluated and why, stage, ATA risk and response.

The explanation is built once as plain data (:class:`Explanation`: a title, dated timeline
lines, sections of lines) and rendered as text, Markdown or HTML, in English, Russian or
Kazakh; the command line and the web app share it. Dates are ISO in English and DD.MM.YYYY in
Russian and Kazakh; activities are given in mCi and GBq.
"""

from rairtc.explain.build import Explanation, Section, explanation
from rairtc.explain.render import FORMATS, explain, render

__all__ = ["FORMATS", "Explanation", "Section", "explain", "explanation", "render"]
