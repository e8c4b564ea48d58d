"""Training pairs for the encoder, built only from the taxonomy files of the data directory.

Every pair is (anchor, positive, group keys); a hard negative is added later from the positive's
near neighbours that belong to another occupation / skill / activity. Sources:

============== ==================================================== ==========================
source         anchor -> positive                                    groups (no false negative)
============== ==================================================== ==========================
onet_title     O*NET alternate / reported title -> occupation title  O*NET codes of the title
onet_task      task statement -> occupation title                    O*NET code
onet_dwa       task statement -> detailed work activity              DWAs of the task
onet_tech      technology example -> commodity title                 commodity codes
esco_occ_alt   ESCO occupation alt label -> preferred label          ESCO occupations
title_noise    an ESCO occupation label as a job board would write   ESCO occupations
               it (:mod:`matcher.tuning.title_noise`) -> preferred
               label (off by default: quota 0)
esco_occ_desc  ESCO occupation label -> description                  ESCO occupation
esco_skill_alt ESCO skill alt label -> preferred label               ESCO skills
esco_skill_desc ESCO skill description -> preferred label            ESCO skill
esco_occ_skill ESCO occupation -> one of its essential skills        all its skills
cip_occ        CIP title + definition -> crosswalked occupation      O*NET codes of the CIP
crosswalk      O*NET title -> ESCO occupation (ESCO–O*NET crosswalk) ESCO occupations
============== ==================================================== ==========================

Nothing here reads the evaluation folder; the evaluation titles are job-board titles labelled
with ESCO occupations, so ``esco_occ_alt`` teaches the kind of mapping the titles benchmark
measures, from ESCO's own labels (recorded in the model card).
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from matcher.sources import DataDir
from matcher.tuning.title_noise import decorate

MAX_CHARS = 320  # ~64 word pieces: the training sequence length

# Pairs drawn per source (at most; a source with fewer candidates gives all it has).
DEFAULT_QUOTAS: dict[str, int] = {
    # short texts (titles, labels): cheap steps, and what the titles and skills benchmarks link
    "onet_title": 8000,
    "esco_occ_alt": 8000,
    "esco_skill_alt": 7000,
    "esco_occ_skill": 3000,
    "onet_tech": 2000,
    "crosswalk": 1500,
    "title_noise": 0,  # measured in RESULTS.md (issue 11); opt in with --quota title_noise=N
    # sentences -> labels
    "esco_skill_desc": 4000,
    "onet_dwa": 3000,
    "onet_task": 2000,
    # paragraphs (64 word pieces on both sides): the costliest steps on CPU
    "esco_occ_desc": 1500,
    "cip_occ": 1500,
}


@dataclass(frozen=True)
class Pair:
    source: str
    anchor: str
    positive: str
    pos_group: str  # the group the positive stands for
    valid: frozenset[str]  # every group that is a right answer for the anchor
    negative: str | None = None

    @property
    def keys(self) -> frozenset[str]:
        """Two pairs sharing a key must not sit in one batch (one would be a false negative)."""
        return self.valid | {self.pos_group, "t:" + self.anchor, "t:" + self.positive}


@dataclass
class Pool:
    """Candidate positives of one source (texts and groups), searched for hard negatives."""

    texts: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    _index: dict[str, int] = field(default_factory=dict)

    def add(self, text: str, group: str) -> None:
        if text not in self._index:
            self._index[text] = len(self.texts)
            self.texts.append(text)
            self.groups.append(group)

    def position(self, text: str) -> int | None:
        return self._index.get(text)


def clean(text: str, limit: int = MAX_CHARS) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0]
    return text


def _onet(data: DataDir) -> tuple[dict[str, list[Pair]], dict[str, Pool]]:
    onet = data.onet
    occ = {o.code: o for o in onet.occupations}
    pairs: dict[str, list[Pair]] = defaultdict(list)
    pools: dict[str, Pool] = defaultdict(Pool)

    title_pool = Pool()
    for o in onet.occupations:
        title_pool.add(clean(o.title), o.code)
    for name in ("onet_title", "onet_task"):
        pools[name] = title_pool

    codes_of_title: dict[str, set[str]] = defaultdict(set)
    for t in onet.alternate_titles:
        codes_of_title[clean(t.title)].add(t.code)
        if t.short_title:
            codes_of_title[clean(t.short_title)].add(t.code)
    for r in onet.reported_titles:
        codes_of_title[clean(r.title)].add(r.code)
    for o in onet.occupations:  # an official title is a right answer for itself
        codes_of_title[clean(o.title)].add(o.code)
    for title, codes in codes_of_title.items():
        for code in sorted(codes):
            positive = clean(occ[code].title) if code in occ else ""
            if title and positive and title.lower() != positive.lower():
                pairs["onet_title"].append(Pair("onet_title", title, positive, code, frozenset(codes)))

    codes_of_task: dict[str, set[str]] = defaultdict(set)
    for task in onet.tasks:
        codes_of_task[clean(task.text)].add(task.code)
    for text, codes in codes_of_task.items():
        for code in sorted(codes):
            if code in occ:
                pairs["onet_task"].append(
                    Pair("onet_task", text, clean(occ[code].title), code, frozenset(codes))
                )

    dwa_title = {d.dwa_id: clean(d.title) for d in onet.dwas}
    dwa_pool = Pool()
    for d in onet.dwas:
        dwa_pool.add(dwa_title[d.dwa_id], d.dwa_id)
    pools["onet_dwa"] = dwa_pool
    task_text = {t.task_id: clean(t.text) for t in onet.tasks}
    dwas_of_task: dict[str, set[str]] = defaultdict(set)
    for link in onet.tasks_to_dwas:
        if link.task_id in task_text and link.dwa_id in dwa_title:
            dwas_of_task[task_text[link.task_id]].add(link.dwa_id)
    for text, dwas in dwas_of_task.items():
        for dwa in sorted(dwas):
            pairs["onet_dwa"].append(Pair("onet_dwa", text, dwa_title[dwa], dwa, frozenset(dwas)))

    commodity: dict[str, str] = {}
    commodities_of: dict[str, set[str]] = defaultdict(set)
    for tech in onet.technology_skills:
        commodity[tech.commodity_code] = clean(tech.commodity_title)
        commodities_of[clean(tech.example)].add(tech.commodity_code)
    tech_pool = Pool()
    for c, title in sorted(commodity.items()):
        tech_pool.add(title, c)
    pools["onet_tech"] = tech_pool
    for example, cs in commodities_of.items():
        for c in sorted(cs):
            if example.lower() != commodity[c].lower():
                pairs["onet_tech"].append(Pair("onet_tech", example, commodity[c], c, frozenset(cs)))
    return pairs, pools


def _esco(data: DataDir) -> tuple[dict[str, list[Pair]], dict[str, Pool]]:
    esco = data.esco
    pairs: dict[str, list[Pair]] = defaultdict(list)
    pools: dict[str, Pool] = {}

    occ_label = {o.uri: clean(o.label) for o in esco.occupations}
    uris_of_label: dict[str, set[str]] = defaultdict(set)
    for o in esco.occupations:
        for label in (o.label, *o.alt_labels):
            uris_of_label[clean(label).lower()].add(o.uri)
    label_pool, desc_pool = Pool(), Pool()
    for o in esco.occupations:
        label_pool.add(occ_label[o.uri], o.uri)
        if o.description:
            desc_pool.add(clean(o.description), o.uri)
    pools["esco_occ_alt"] = label_pool
    pools["esco_occ_desc"] = desc_pool
    pools["crosswalk"] = label_pool
    pools["title_noise"] = label_pool
    for o in esco.occupations:
        for alt in o.alt_labels:
            a = clean(alt)
            valid = frozenset(uris_of_label[a.lower()])
            if a and a.lower() != occ_label[o.uri].lower():
                pairs["esco_occ_alt"].append(Pair("esco_occ_alt", a, occ_label[o.uri], o.uri, valid))
        labels = [a for a in map(clean, (o.label, *o.alt_labels)) if a]
        for a in labels:
            noisy = decorate(a, [x for x in labels if x != a], seed="title_noise")
            valid = frozenset(uris_of_label[a.lower()])
            pairs["title_noise"].append(Pair("title_noise", noisy, occ_label[o.uri], o.uri, valid))
        if o.description:
            for label in (o.label, *o.alt_labels):
                a = clean(label)
                valid = frozenset(uris_of_label[a.lower()])
                pairs["esco_occ_desc"].append(Pair("esco_occ_desc", a, clean(o.description), o.uri, valid))

    skill_label = {s.uri: clean(s.label) for s in esco.skills}
    skills_of_label: dict[str, set[str]] = defaultdict(set)
    for s in esco.skills:
        for label in (s.label, *s.alt_labels):
            skills_of_label[clean(label).lower()].add(s.uri)
    skill_pool = Pool()
    for s in esco.skills:
        skill_pool.add(skill_label[s.uri], s.uri)
    for name in ("esco_skill_alt", "esco_skill_desc", "esco_occ_skill"):
        pools[name] = skill_pool
    for s in esco.skills:
        for alt in s.alt_labels:
            a = clean(alt)
            if a and a.lower() != skill_label[s.uri].lower():
                valid = frozenset(skills_of_label[a.lower()])
                pairs["esco_skill_alt"].append(Pair("esco_skill_alt", a, skill_label[s.uri], s.uri, valid))
        if s.description:
            pairs["esco_skill_desc"].append(
                Pair("esco_skill_desc", clean(s.description), skill_label[s.uri], s.uri, frozenset({s.uri}))
            )

    skills_of_occ: dict[str, set[str]] = defaultdict(set)
    essential: dict[str, list[str]] = defaultdict(list)
    for rel in esco.occupation_skills:
        if rel.skill_uri in skill_label and rel.occupation_uri in occ_label:
            skills_of_occ[rel.occupation_uri].add(rel.skill_uri)
            if rel.relation == "essential":
                essential[rel.occupation_uri].append(rel.skill_uri)
    for uri, skills in sorted(essential.items()):
        valid = frozenset(skills_of_occ[uri]) | {uri}
        for skill_uri in sorted(set(skills)):
            pairs["esco_occ_skill"].append(
                Pair("esco_occ_skill", occ_label[uri], skill_label[skill_uri], skill_uri, valid)
            )

    onet_title = {o.code: clean(o.title) for o in data.onet.occupations}
    uris_of_code: dict[str, set[str]] = defaultdict(set)
    for row in esco.onet_crosswalk:
        if row.esco_uri in occ_label:
            uris_of_code[row.onet_code].add(row.esco_uri)
    for row in esco.onet_crosswalk:
        if (
            row.match in ("exactMatch", "closeMatch")
            and row.esco_uri in occ_label
            and row.onet_code in onet_title
        ):
            valid = frozenset(uris_of_code[row.onet_code])
            anchor, positive = onet_title[row.onet_code], occ_label[row.esco_uri]
            if anchor.lower() != positive.lower():
                pairs["crosswalk"].append(Pair("crosswalk", anchor, positive, row.esco_uri, valid))
    return pairs, pools


def _cip(data: DataDir) -> tuple[dict[str, list[Pair]], dict[str, Pool]]:
    occ_text = {o.code: clean(f"{o.title}. {o.description}") for o in data.onet.occupations}
    codes_of_soc: dict[str, list[str]] = defaultdict(list)
    for code in sorted(occ_text):
        codes_of_soc[code[:7]].append(code)
    pool = Pool()
    for code, text in sorted(occ_text.items()):
        pool.add(text, code)
    pairs: list[Pair] = []
    crosswalk = data.cip.cip_to_soc
    for c in data.cip.codes:
        if c.action.lower().startswith(("moved", "deleted")) or not c.definition:
            continue
        codes = [code for soc in crosswalk.get(c.code, []) for code in codes_of_soc.get(soc, [])]
        if not codes:
            continue
        anchor = clean(f"{c.title}. {c.definition}")
        valid = frozenset(codes)
        for code in codes:
            pairs.append(Pair("cip_occ", anchor, occ_text[code], code, valid))
    return {"cip_occ": pairs}, {"cip_occ": pool}


def candidate_pairs(data: DataDir) -> tuple[dict[str, list[Pair]], dict[str, Pool]]:
    """Every candidate pair per source, and each source's pool of positives."""
    pairs: dict[str, list[Pair]] = {}
    pools: dict[str, Pool] = {}
    for build in (_onet, _esco, _cip):
        p, q = build(data)
        pairs.update(p)
        pools.update(q)
    for name, items in pairs.items():  # one copy of each (anchor, positive)
        seen: dict[tuple[str, str], Pair] = {}
        for pair in items:
            seen.setdefault((pair.anchor, pair.positive), pair)
        pairs[name] = list(seen.values())
    return pairs, pools


def sample_pairs(pairs: dict[str, list[Pair]], quotas: dict[str, int], seed: int) -> dict[str, list[Pair]]:
    """Up to ``quotas[source]`` pairs per source, drawn with a seeded generator."""
    out: dict[str, list[Pair]] = {}
    for name in sorted(quotas):
        items = sorted(pairs.get(name, []), key=lambda p: (p.anchor, p.positive))
        random.Random(f"{seed}:{name}").shuffle(items)
        out[name] = items[: quotas[name]]
    return out


def add_hard_negatives(
    pairs: dict[str, list[Pair]],
    pools: dict[str, Pool],
    encode: Callable[[Sequence[str]], np.ndarray],
    *,
    seed: int,
    skip: int = 1,
    top: int = 8,
) -> dict[str, list[Pair]]:
    """Give each pair a negative: one of the positive's nearest pool texts of another group.

    Neighbours are ranked by the base encoder's cosine; the closest ``skip`` eligible ones are
    passed over (they are often unlabelled synonyms), and one of the next ``top`` is drawn.
    """
    out: dict[str, list[Pair]] = {}
    cache: dict[int, np.ndarray] = {}
    for name in sorted(pairs):
        pool = pools[name]
        key = id(pool)
        if key not in cache:
            cache[key] = encode(pool.texts)
        vecs = cache[key]
        rng = random.Random(f"{seed}:neg:{name}")
        items = pairs[name]
        pos_vecs = encode([p.positive for p in items])
        k = min(len(pool.texts), 64)
        result = []
        for start in range(0, len(items), 2048):
            sims = pos_vecs[start : start + 2048] @ vecs.T
            nearest = np.argsort(-sims, axis=1, kind="stable")[:, :k]
            for pair, row in zip(items[start : start + 2048], nearest, strict=True):
                eligible = [
                    pool.texts[j]
                    for j in row
                    if pool.groups[j] not in pair.valid
                    and pool.texts[j].lower() not in (pair.positive.lower(), pair.anchor.lower())
                ]
                window = eligible[skip : skip + top] or eligible[:top]
                result.append(replace(pair, negative=rng.choice(window)) if window else pair)
        out[name] = result
    return out


def batches(pairs: dict[str, list[Pair]], batch_size: int, seed: int, min_size: int = 8) -> list[list[Pair]]:
    """Batches of one source each, with no two pairs sharing a key; batch order shuffled."""
    out: list[list[Pair]] = []
    for name in sorted(pairs):
        queue = [p for p in pairs[name] if p.negative is not None]
        random.Random(f"{seed}:batch:{name}").shuffle(queue)
        while queue:
            batch: list[Pair] = []
            used: set[str] = set()
            rest: list[Pair] = []
            for p in queue:
                if (
                    len(batch) < batch_size
                    and not (p.keys & used)
                    and ("t:" + (p.negative or "")) not in used
                ):
                    batch.append(p)
                    used |= p.keys | {"t:" + (p.negative or "")}
                else:
                    rest.append(p)
            if len(batch) < min_size:
                break
            out.append(batch)
            queue = rest
    random.Random(f"{seed}:order").shuffle(out)
    return out
