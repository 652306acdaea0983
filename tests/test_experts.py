"""The expert registry: sources of experts, name unification, affiliations, evidence."""

from __future__ import annotations

import pytest

import dprkbrief
from dprkbrief.analysis.experts import attribution_rules, display_name, name_key, strip_titles
from dprkbrief.errors import ParameterError

NEWS = """Envoys plan new talks

By Staff Reporter

"A meeting is likely this year," said Mara Lind, a professor of history at Redwood University.

Lind added that sanctions would stay. Tomas Berg, a senior fellow at the Quarry Institute, disagreed.

Dr. Berg said the talks would fail. The ministry declined to comment.
"""

QA = """Q&A: the view from the capital

Interview by Nina Kos, staff writer

Q: Will the talks resume?
A: I think they will resume next year.

Omar Reyes is a research fellow at the Delta Center for Security Studies.
"""

INTERVIEW = """A conversation on the peninsula

Iris Vale: Thank you for joining us. What comes next?

Ben HOLT: I think talks will resume.

Iris Vale: Thank you, Dr. Holt.

Ben HOLT: Thank you, Professor Vale.

Ben HOLT is a senior fellow at the Pine Institute.
"""

OPED = """Why the alliance matters

By Ben Holt and Ada Quist

We believe the alliance must stay strong.

Ben Holt is a senior fellow at the Pine Institute. Ada Quist is a lecturer at Elm College.
"""


@pytest.fixture(scope="module")
def registry():
    corpus = dprkbrief.corpus_from_texts(
        {"news": NEWS, "qa": QA, "interview": INTERVIEW, "oped": OPED}
    )
    return corpus, dprkbrief.experts(corpus).set_index("expert")


def test_columns_and_evidence(registry):
    corpus, reg = registry
    assert list(reg.reset_index().columns) == [
        "expert", "aliases", "role", "roles", "affiliation", "descriptor", "doc_ids",
        "n_docs", "doc_id", "start", "end", "quote", "kind", "title",
    ]  # fmt: skip
    assert set(reg["kind"]) == {"person"}
    for name, row in reg.iterrows():
        assert corpus[row["doc_id"]].text[row["start"] : row["end"]] == row["quote"]
        assert name.split()[-1].casefold() in row["quote"].casefold()


def test_quoted_experts_in_news_with_affiliations_and_aliases(registry):
    _, reg = registry
    assert reg.loc["Mara Lind", "role"] == "quoted"
    assert reg.loc["Mara Lind", "affiliation"] == "Redwood University"
    assert reg.loc["Tomas Berg", "affiliation"] == "Quarry Institute"
    assert {"Tomas Berg", "Dr. Berg"} <= set(reg.loc["Tomas Berg", "aliases"])
    assert {"Mara Lind", "Lind"} <= set(reg.loc["Mara Lind", "aliases"])
    assert "Staff Reporter" not in reg.index  # an agency byline is not a person


def test_anonymous_qa_labels_resolve_to_named_people(registry):
    _, reg = registry
    assert reg.loc["Nina Kos", "role"] == "interviewer"
    assert reg.loc["Omar Reyes", "role"] == "interviewee"
    assert reg.loc["Omar Reyes", "affiliation"] == "Delta Center for Security Studies"
    assert "Q" not in reg.index and "A" not in reg.index


def test_names_unified_across_forms_and_documents(registry):
    _, reg = registry
    holt = reg.loc["Ben Holt"]  # "Ben HOLT" label, "Dr. Holt", and the op-ed byline
    assert holt["doc_ids"] == ["interview", "oped"]
    assert holt["roles"] == ["interviewee", "author"]
    assert holt["role"] == "interviewee"
    assert {"Ben HOLT", "Ben Holt", "Dr. Holt"} <= set(holt["aliases"])
    assert "Professor Vale" in reg.loc["Iris Vale", "aliases"]
    assert reg.loc["Iris Vale", "role"] == "interviewer"
    assert reg.loc["Iris Vale", "affiliation"] is None
    assert reg.loc["Ada Quist", "affiliation"] == "Elm College"
    assert sum(name_key(n, attribution_rules()) == "ben holt" for n in reg.index) == 1


def test_name_helpers():
    rules = attribution_rules()
    assert strip_titles("Professor Ada Quist", rules) == "Ada Quist"
    assert name_key("Dr. Ben  HOLT", rules) == name_key("Ben Holt", rules)
    assert display_name(["Ben HOLT", "Dr. Holt", "Ben Holt"], rules) == "Ben Holt"


def test_bad_corpus_argument():
    with pytest.raises(ParameterError, match="'corpus'"):
        dprkbrief.experts({"a": "text"})


def test_project_corpus_registry(corpus):
    reg = dprkbrief.experts(corpus)
    assert reg["expert"].is_unique
    assert set(reg["role"]) <= {"interviewee", "interviewer", "author", "quoted"}
    # every speaker label and every named author of the corpus is in the registry
    names = {name_key(n, attribution_rules()) for n in reg["expert"]}
    for _, doc in corpus.documents.iterrows():
        for person in list(doc["speakers"]) + list(doc["authors"]):
            assert name_key(person, attribution_rules()) in names


def test_sources_of_every_kind(registry):
    corpus, _ = registry
    reg = dprkbrief.experts(corpus, kinds=("person", "anonymous", "institution"))
    assert reg["kind"].tolist() == sorted(
        reg["kind"], key=["person", "anonymous", "institution"].index
    )
    persons = reg[reg["kind"] == "person"].set_index("expert")
    assert persons.loc["Tomas Berg", "title"] == "a senior fellow at the Quarry Institute"
    assert persons.loc["Mara Lind", "role"] == "quoted"
    others = reg[reg["kind"] != "person"]
    assert set(others["role"]) <= {"cited"}
    for row in reg.itertuples():
        assert corpus[row.doc_id].text[row.start : row.end] == row.quote
    only = dprkbrief.experts(corpus, kinds="anonymous")
    assert set(only["kind"]) <= {"anonymous"}
    with pytest.raises(ParameterError, match="'kinds'"):
        dprkbrief.experts(corpus, kinds=("robot",))


def test_people_registry_columns_and_kinds():
    corpus = dprkbrief.corpus_from_texts(
        {
            "a": "Defense Secretary Lloyd Austin met Kim Jong-un. A senior U.S. official said "
            "little. KCNA said the talks went well.",
            "b": "Austin was not there. Lloyd Austin later said so.",
        }
    )
    reg = dprkbrief.people(corpus)
    assert list(reg.columns) == [
        "expert", "kind", "aliases", "title", "affiliation", "doc_ids", "n_docs",
        "n_mentions", "how", "doc_id", "start", "end", "quote",
    ]  # fmt: skip
    by = reg.set_index("expert")
    assert by.loc["Lloyd Austin", "doc_ids"] == ["a", "b"]
    assert by.loc["Lloyd Austin", "title"] == "Defense Secretary"
    assert by.loc["Kim Jong Un", "kind"] == "person"
    assert by.loc["KCNA", "kind"] == "institution"
    assert by.loc["A senior U.S. official", "kind"] == "anonymous"
    assert dprkbrief.people(corpus, docs=["b"])["expert"].tolist() == ["Lloyd Austin"]
    with pytest.raises(ParameterError, match="'docs'"):
        dprkbrief.people(corpus, docs=["zz"])


def test_appositive_search_is_linear_on_long_capitalised_runs():
    # a 16 KB capitalised token once took 39 s (nested quantifiers); run in a subprocess
    # so a regression fails here instead of hanging the suite
    import subprocess
    import sys

    code = (
        "from dprkbrief.analysis.experts import attribution_rules, find_appositives;"
        "r = attribution_rules();"
        "print(find_appositives('A' * 16000, r), find_appositives('Abc ' * 4000 + ', a', r))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0 and out.stdout.strip() == "[] []"


# -- the registry as per-document operations and a merge ---------------------------------------

# "Jo O’Neil" is first written with a curly apostrophe in a document where she has no role;
# where she is quoted her name is written "Jo O'Neil".
MENTION = "Talks stalled.\n\nDr. Jo O’Neil, a professor at the Birch Institute, was there.\n"
QUOTE = "Talks stalled.\n\n\"We will see,\" said Jo O'Neil. She left; O'Neil stayed.\n"


def test_registry_is_a_merge_of_per_document_operations():
    from dprkbrief.analysis.experts import build_people, doc_registry, merge_registry
    from dprkbrief.pipeline.annotate import annotate

    texts = {"a_mention": MENTION, "b_quote": QUOTE, "news": NEWS, "qa": QA, "oped": OPED}
    corpus = dprkbrief.corpus_from_texts(texts)
    rules = attribution_rules()
    ops = [
        r
        for d in corpus.doc_ids
        for r in doc_registry(
            d, corpus[d].text, corpus[d].meta, corpus[d].segment_rows("sentence"), rules
        )
    ]
    assert {r["op"] for r in ops} >= {"person", "evidence", "descriptor", "role", "aliases"}
    assert all(
        r["quote"] == corpus[r["doc_id"]].text[r["start"] : r["end"]]
        for r in ops
        if r["op"] == "evidence"
    )
    # the `registry` step of annotate gives the same operations for one document
    one = annotate(corpus["news"], steps=["registry"])["registry"]
    assert [(r["op"], r["key"]) for r in one] == [
        (r["op"], r["key"]) for r in ops if r["doc_id"] == "news"
    ]
    merged = merge_registry(ops, rules, doc_ids=corpus.doc_ids, text_of=lambda d: texts[d])
    people = build_people(corpus)
    assert list(merged.persons) == list(people.persons)
    oneil = merged.persons["jo o'neil"]
    assert oneil.forms[0] == "Dr. Jo O’Neil" and oneil.roles == {"b_quote": "quoted"}
    # b_quote's own search (first form "Jo O'Neil") found "O'Neil"; the registry's first form
    # has the curly apostrophe, so the merge searched b_quote again with it, as one pass does
    local = [r for r in ops if r["op"] == "aliases" and r["doc_id"] == "b_quote"]
    assert [r["forms"] for r in local] == [["Jo O'Neil", "O'Neil"]]
    assert "Jo O'Neil" in oneil.forms and "O'Neil" not in oneil.forms
    assert oneil.descriptor == "a professor at the Birch Institute"
    assert oneil.quote == "Dr. Jo O’Neil, a professor at the Birch Institute"
    reg = dprkbrief.experts(corpus).set_index("expert")
    assert reg.loc["Jo O'Neil", "affiliation"] == "Birch Institute"
    assert reg.loc["Jo O'Neil", "doc_id"] == "a_mention"  # the appositive is the evidence


def test_alias_search_finds_what_the_alias_regex_finds():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from dprkbrief.analysis.experts import _alias_matches, _alias_rx

    rules = attribution_rules()
    words = [
        "Dr.",
        "DR",
        "dr",
        "Secretary",
        "Ambassador",
        "Vice",
        "President",
        "Jane",
        "JANE",
        "jane",
        "Doe",
        "DOE",
        "Doe's",
        "Doex",
        "Mary-Jane",
        "O’Doe",
        "said",
        "the",
        ".",
    ]
    seps = [" ", "  ", "\n", ". ", ", ", "-", "", "\t", "'"]
    text = st.lists(st.tuples(st.sampled_from(words), st.sampled_from(seps)), max_size=30).map(
        lambda parts: "".join(w + s for w, s in parts)
    )

    @settings(max_examples=300, deadline=None)
    @given(text, st.sampled_from(["Jane Doe", "Dr. Jane Doe", "Doe", "Jane Mary Doe"]))
    def check(t, first):
        want = [(m.start(), m.end()) for m in _alias_rx(first, rules).finditer(t)]
        assert list(_alias_matches(t, first, rules)) == want

    check()
