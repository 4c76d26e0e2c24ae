"""Brute-force scorers for ``bench/search.py``: each engine's ranking, written again in Python.

They score every generated resource that matches (filters applied in Python), independently
of the SQL the skill builds, so that recall@10 checks the indexed path against the truth:

- ``Bm25`` is SQLite FTS5's ``bm25()``: per query phrase, idf · f·(k1+1) / (f + k1·(1 − b +
  b·|D|/avgdl)) with k1 = 1.2, b = 0.75, f the column-weighted count of the phrase in the row,
  |D| the row's token count over all columns, and an idf of at most-zero raised to 1e-6.
- ``TsRank`` is PostgreSQL's ``ts_rank()`` with its default weights over the document the
  migration generates (title A, tags B, description C): ``calc_rank_or`` for one lexeme,
  ``calc_rank_and`` (pairwise proximity) for several.

Words become lexemes through a table each engine filled by tokenizing every vocabulary word
once (``lexemes[word]``; ``None`` for a stop word, which still takes up a position).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Columns = tuple[Sequence[int], Sequence[int], Sequence[int]]
"""A document as vocabulary word ids: title, tags, description."""


@dataclass(frozen=True, slots=True)
class Scored:
    score: float
    resource_id: int


class Corpus:
    """Documents, and per lexeme the documents containing it (in any column)."""

    def __init__(self, documents: Sequence[Columns], lexemes: Sequence[str | None]) -> None:
        self.documents = documents
        self.lexemes = lexemes
        self.postings: dict[str, set[int]] = {}
        self.total_tokens = 0
        for index, columns in enumerate(documents):
            seen: set[str] = set()
            for column in columns:
                for word in column:
                    lexeme = lexemes[word]
                    if lexeme is not None:
                        self.total_tokens += 1
                        seen.add(lexeme)
            for lexeme in seen:
                self.postings.setdefault(lexeme, set()).add(index)

    def matching(self, lexemes: Sequence[str], keep: Callable[[int], bool]) -> list[int]:
        """Indexes of the documents holding every lexeme and passing ``keep``."""
        if not lexemes:
            return []
        sets = sorted((self.postings.get(lexeme, set()) for lexeme in set(lexemes)), key=len)
        found = set.intersection(*sets) if sets else set()
        return [index for index in found if keep(index)]


class Bm25:
    """SQLite FTS5 ``bm25(resources_fts, *weights)``; higher is better here."""

    K1 = 1.2
    B = 0.75

    def __init__(self, corpus: Corpus, weights: tuple[float, float, float]) -> None:
        self.corpus = corpus
        self.weights = weights
        self.rows = len(corpus.documents)
        self.average_length = corpus.total_tokens / self.rows

    def rank(self, phrases: Sequence[str], keep: Callable[[int], bool]) -> list[Scored]:
        """Every matching document scored; ``phrases`` are the query terms' lexemes."""
        corpus = self.corpus
        idf = []
        for lexeme in phrases:
            hits = len(corpus.postings.get(lexeme, ()))
            value = math.log((self.rows - hits + 0.5) / (hits + 0.5))
            idf.append(value if value > 0 else 1e-6)
        scored = []
        for index in corpus.matching(phrases, keep):
            counts: dict[str, float] = {}
            length = 0
            for column, weight in zip(corpus.documents[index], self.weights, strict=True):
                for word in column:
                    lexeme = corpus.lexemes[word]
                    if lexeme is None:
                        continue
                    length += 1
                    counts[lexeme] = counts.get(lexeme, 0.0) + weight
            norm = self.K1 * (1 - self.B + self.B * length / self.average_length)
            score = 0.0
            for lexeme, weight_idf in zip(phrases, idf, strict=True):
                f = counts[lexeme]
                score += weight_idf * (f * (self.K1 + 1)) / (f + norm)
            scored.append(Scored(score, index + 1))
        return scored


_TS_WEIGHTS = (0.1, 0.2, 0.4, 1.0)  # D, C, B, A
_TITLE, _TAGS, _DESCRIPTION = 3, 2, 1
_MAX_POSITION = 16383


def _word_distance(distance: int) -> float:
    if distance > 100:
        return 1e-30
    return 1.0 / (1.005 + 0.05 * math.exp(distance / 1.5 - 2))


class TsRank:
    """PostgreSQL ``ts_rank(search_document, plainto_tsquery(...))``."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus

    def positions(self, index: int) -> dict[str, list[tuple[int, float]]]:
        """The generated ``tsvector``: lexeme → (position, weight) in position order."""
        entries: dict[str, list[tuple[int, float]]] = {}
        offset = 0
        columns = self.corpus.documents[index]
        for column, weight in zip(columns, (_TITLE, _TAGS, _DESCRIPTION), strict=True):
            last = 0
            for position, word in enumerate(column, 1):
                lexeme = self.corpus.lexemes[word]
                if lexeme is None:
                    continue
                where = min(offset + position, _MAX_POSITION)
                entries.setdefault(lexeme, []).append((where, _TS_WEIGHTS[weight]))
                last = position
            offset += last  # `a || b` shifts b by the largest position in a
        return entries

    def rank(self, lexemes: Sequence[str], keep: Callable[[int], bool]) -> list[Scored]:
        unique = sorted(set(lexemes))
        scored = []
        for index in self.corpus.matching(unique, keep):
            entries = self.positions(index)
            items = [entries[lexeme] for lexeme in unique]
            score = _rank_or(items) if len(items) < 2 else _rank_and(items)
            scored.append(Scored(score, index + 1))
        return scored


def _rank_or(items: list[list[tuple[int, float]]]) -> float:
    total = 0.0
    for positions in items:
        partial, best, best_at = 0.0, -1.0, 0
        for j, (_, weight) in enumerate(positions):
            partial += weight / ((j + 1) * (j + 1))
            if weight > best:
                best, best_at = weight, j
        total += (best + partial - best / ((best_at + 1) * (best_at + 1))) / 1.64493406685
    return total / len(items)


def _rank_and(items: list[list[tuple[int, float]]]) -> float:
    result = -1.0
    for i, later in enumerate(items):
        for earlier in items[:i]:
            for position, weight in later:
                for other_position, other_weight in earlier:
                    distance = abs(position - other_position)
                    if distance == 0:
                        continue
                    current = math.sqrt(weight * other_weight * _word_distance(distance))
                    result = current if result < 0 else 1.0 - (1.0 - result) * (1.0 - current)
    return result if result >= 0 else 1e-20


def recall_at(k: int, truth: list[Scored], engine_ids: Sequence[int]) -> float:
    """Share of the true top ``k`` the engine returned; a tie with the k-th counts as a hit."""
    if not truth:
        return 1.0 if not engine_ids else 0.0
    ordered = sorted(truth, key=lambda s: (-s.score, -s.resource_id))
    wanted = min(k, len(ordered))
    threshold = ordered[wanted - 1].score
    scores = {s.resource_id: s.score for s in ordered}
    tolerance = 1e-6 * max(abs(threshold), 1e-12)
    hits = sum(
        1 for rid in engine_ids[:k] if rid in scores and scores[rid] >= threshold - tolerance
    )
    return min(hits, wanted) / wanted
