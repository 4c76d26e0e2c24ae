"""Extract, update and compile the gettext catalogs of the core and the built-in skills
(``make messages``); ``--check`` writes nothing and exits 1 listing what is wrong.

A skill takes part once its manifest names its catalogs (``Skill(locales=...)``); see
docs/translating.md.
"""

from __future__ import annotations

import argparse
import sys

from bot.core.catalogs import built_in_domains, problems, update
from bot.core.skills import discover_skills


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="write nothing; list problems")
    options = parser.parse_args()
    domains = built_in_domains(discover_skills())
    if options.check:
        found = [problem for sources in domains for problem in problems(sources)]
        for problem in found:
            print(problem)
        return 1 if found else 0
    for sources in domains:
        written = update(sources)
        print(f"{sources.domain.name}: {len(written)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
