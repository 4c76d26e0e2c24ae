"""The words teachers use for what they teach: subjects, grade bands, languages, goals.

Each ``parse_*`` function reads what a person typed and returns normalised values, or raises
``ValueError`` with a sentence that says what would work instead.
"""

from __future__ import annotations

import re
from functools import cache

from bot.community.subjects import normalize_subject
from bot.core.replies import and_list

GRADE_LEVELS = ("pk", "k", *(str(n) for n in range(1, 13)), "he", "adult")
_GRADE_INDEX = {level: i for i, level in enumerate(GRADE_LEVELS)}
_GRADE_WORDS = {
    "prek": "pk",
    "pre-k": "pk",
    "pk": "pk",
    "preschool": "pk",
    "nursery": "pk",
    "k": "k",
    "kg": "k",
    "kindergarten": "k",
    "reception": "k",
    "he": "he",
    "higher-ed": "he",
    "higher ed": "he",
    "highered": "he",
    "university": "he",
    "college": "he",
    "uni": "he",
    "adult": "adult",
    "adult ed": "adult",
    "adult-ed": "adult",
    "adults": "adult",
}
_GRADE_PREFIX = re.compile(r"^(?:grades?|years?|yr|gr|g)\s*", re.IGNORECASE)
_ORDINAL = re.compile(r"^([0-9]{1,2})(?:st|nd|rd|th)?$", re.IGNORECASE)

SEEKING = ("mentor", "mentees", "collaborators", "resources")
_SEEKING_WORDS = {
    "mentor": "mentor",
    "a mentor": "mentor",
    "mentoring": "mentor",
    "mentorship": "mentor",
    "mentee": "mentees",
    "mentees": "mentees",
    "to mentor": "mentees",
    "collaborator": "collaborators",
    "collaborators": "collaborators",
    "collaboration": "collaborators",
    "collab": "collaborators",
    "peers": "collaborators",
    "resource": "resources",
    "resources": "resources",
    "materials": "resources",
}
SEEKING_LABELS = {
    "mentor": "a mentor",
    "mentees": "mentees",
    "collaborators": "collaborators",
    "resources": "resources",
}

# Sign languages by the names and abbreviations their signers use; langcodes reads the
# abbreviations as other languages' codes (``asl`` is Asilulu, ``bsl`` Basa-Gumna).
SIGN_LANGUAGES = {
    "asl": "ase",
    "american sign language": "ase",
    "bsl": "bfi",
    "british sign language": "bfi",
    "lsf": "fsl",
    "langue des signes francaise": "fsl",
    "langue des signes française": "fsl",
    "french sign language": "fsl",
    "libras": "bzs",
    "brazilian sign language": "bzs",
    "lingua brasileira de sinais": "bzs",
    "língua brasileira de sinais": "bzs",
    "auslan": "asf",
    "lse": "ssp",
    "lengua de signos española": "ssp",
    "spanish sign language": "ssp",
    "lsm": "mfs",
    "mexican sign language": "mfs",
    "lgp": "psr",
    "lingua gestual portuguesa": "psr",
    "língua gestual portuguesa": "psr",
    "dgs": "gsg",
    "german sign language": "gsg",
    "nzsl": "nzs",
    "lsq": "fcs",
    "jsl": "jsl",
    "isl": "isg",
    "irish sign language": "isg",
    "indian sign language": "ins",
}

MAX_ITEMS = 10
MAX_ITEM_LENGTH = 40


def split_list(text: str) -> list[str]:
    """Split "math, science and art" / "math; science" into items."""
    parts = re.split(r"\s*(?:,|;|/|\band\b|&|\n)\s*", text.strip())
    return [p.strip() for p in parts if p.strip()]


def _limited(items: list[str], what: str) -> list[str]:
    unique = list(dict.fromkeys(items))
    if len(unique) > MAX_ITEMS:
        raise ValueError(
            f"That's more than {MAX_ITEMS} {what}; please keep the ones that matter most."
        )
    for item in unique:
        if len(item) > MAX_ITEM_LENGTH:
            raise ValueError(
                f"'{item[:20]}…' is too long for one of your {what} "
                f"(at most {MAX_ITEM_LENGTH} characters each)."
            )
    return unique


def parse_subjects(text: str) -> tuple[str, ...]:
    items = [normalize_subject(s) for s in split_list(text)]
    if not items:
        raise ValueError("Name at least one subject, like `math, science`.")
    return tuple(_limited(items, "subjects"))


def parse_interests(text: str) -> tuple[str, ...]:
    items = [re.sub(r"\s+", " ", s.lower()) for s in split_list(text)]
    return tuple(_limited(items, "interests"))


def _grade_level(word: str) -> str | None:
    word = _GRADE_PREFIX.sub("", word.strip().lower()).strip()
    if word in _GRADE_WORDS:
        return _GRADE_WORDS[word]
    if m := _ORDINAL.match(word):
        number = int(m.group(1))
        return str(number) if 1 <= number <= 12 else None
    return None


def parse_grades(text: str) -> tuple[str, ...]:
    """Read grade bands such as ``K-2, 6-8, 11, higher ed`` into single levels, in order."""
    levels: set[str] = set()
    for part in re.split(r"\s*[,;/&]\s*|\s+and\s+", text.strip()):
        if not part:
            continue
        bounds = re.split(r"\s*(?:–|—|\bto\b|-(?=\s*\w))\s*", part, maxsplit=1)
        if len(bounds) == 2 and _grade_level(bounds[0]) and _grade_level(bounds[1]):
            low, high = (
                _GRADE_INDEX[_grade_level(bounds[0]) or ""],
                _GRADE_INDEX[_grade_level(bounds[1]) or ""],
            )
            if low > high:
                low, high = high, low
            levels.update(GRADE_LEVELS[low : high + 1])
            continue
        level = _grade_level(part)
        if level is None:
            raise ValueError(
                f"I couldn't read the grade '{part[:30]}'. Use grade numbers and bands like "
                "`K-2`, `6-8`, `11`, `higher ed` or `adult`."
            )
        levels.add(level)
    if not levels:
        raise ValueError("Name at least one grade or band, like `6-8`.")
    return tuple(sorted(levels, key=_GRADE_INDEX.__getitem__))


def _level_label(level: str) -> str:
    return {"pk": "Pre-K", "k": "K", "he": "higher ed", "adult": "adult"}.get(level, level)


def format_grades(levels: tuple[str, ...] | list[str]) -> str:
    """``("6", "7", "8", "11")`` → ``6–8, 11``; runs of K-12 levels collapse into bands."""
    ordered = sorted(set(levels), key=lambda lv: _GRADE_INDEX.get(lv, 99))
    runs: list[list[str]] = []
    for level in ordered:
        index = _GRADE_INDEX.get(level)
        if (
            runs
            and index is not None
            and level not in ("he", "adult")
            and runs[-1][-1] not in ("he", "adult")
            and _GRADE_INDEX.get(runs[-1][-1]) == index - 1
        ):
            runs[-1].append(level)
        else:
            runs.append([level])
    parts = []
    for run in runs:
        if len(run) == 1:
            parts.append(_level_label(run[0]))
        else:
            parts.append(f"{_level_label(run[0])}–{_level_label(run[-1])}")
    return ", ".join(parts)


def grades_phrase(levels: tuple[str, ...] | list[str]) -> str:
    """``grade 7`` / ``grades 6–8``."""
    text = format_grades(levels)
    single = len(levels) == 1 and levels[0] not in ("he", "adult", "pk")
    if len(levels) == 1 and levels[0] in ("he", "adult"):
        return text
    return f"grade {text}" if single else f"grades {text}"


@cache
def _langcodes():  # type: ignore[no-untyped-def]
    import langcodes  # imported on first use: it loads sizeable name tables

    return langcodes


def parse_language(text: str) -> str:
    """One language by name or code (``Spanish``, ``español``, ``es``, ``ASL``) → its code
    (``es``, ``ase``)."""
    word = text.strip()
    if not word or len(word) > 40:
        raise ValueError("empty")
    if sign := SIGN_LANGUAGES.get(" ".join(word.lower().split())):
        return sign
    langcodes = _langcodes()
    try:
        if re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*", word) and langcodes.tag_is_valid(
            word.replace("_", "-")
        ):
            language = langcodes.Language.get(word.replace("_", "-"))
        else:
            language = langcodes.find(word)
    except (LookupError, ValueError):
        raise ValueError(word) from None
    code = language.language
    if not code or not langcodes.Language.get(code).is_valid():
        raise ValueError(word)
    return str(code)


def parse_languages(text: str) -> tuple[str, ...]:
    codes: list[str] = []
    unknown: list[str] = []
    for item in split_list(text):
        try:
            codes.append(parse_language(item))
        except ValueError:
            unknown.append(item)
    if unknown:
        shown = ", ".join(f"'{u[:30]}'" for u in unknown[:3])
        raise ValueError(
            f"I don't recognise the language {shown}. Use names or codes, like `English, es`."
        )
    if not codes:
        raise ValueError("Name at least one language, like `English, Spanish`.")
    return tuple(_limited(codes, "languages"))


def language_name(code: str) -> str:
    try:
        return str(_langcodes().Language.get(code).display_name())
    except (LookupError, ValueError):
        return code


def parse_seeking(text: str) -> tuple[str, ...]:
    found: list[str] = []
    for item in split_list(text):
        key = re.sub(r"\s+", " ", item.lower())
        if key not in _SEEKING_WORDS:
            raise ValueError(f"I can't match '{item[:30]}'. Choose from: {', '.join(SEEKING)}.")
        found.append(_SEEKING_WORDS[key])
    return tuple(dict.fromkeys(found))


def teaching_reason(subjects: list[str], grades: list[str]) -> str | None:
    """``both teach grade 7 science``, ``both teach math``, ``both teach grades 6–8``."""
    if subjects and grades:
        return f"both teach {grades_phrase(grades)} {and_list(subjects[:3])}"
    if subjects:
        return f"both teach {and_list(subjects[:3])}"
    if grades:
        return f"both teach {grades_phrase(grades)}"
    return None
