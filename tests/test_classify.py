"""privwatch classify and train: the shipped classifiers on clauses of our own writing,
the --one-per-line JSON contract, kr-terms in the audit, and training from a corpus."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import numpy as np
import pytest

from privwatch import document_from_bytes
from privwatch.classify import (
    PRACTICES,
    UNFAIR_TERMS,
    classify_texts,
    document_kind,
    load_classifier,
)
from privwatch.classify.corpora import opp115, unfair
from privwatch.classify.model import Classifier
from privwatch.classify.train import TASKS, build
from tests.conftest import ROOT
from tests.test_cli import assert_one_line_error, run

TERMS_EXAMPLE = ROOT / "examples" / "hanbit-market-terms-ko.md"

PRACTICE_CASES = [
    (
        "We collect your name, email address and phone number when you register.",
        "First Party Collection/Use",
    ),
    (
        "We share your purchase history with advertising partners so they can show you ads.",
        "Third Party Sharing/Collection",
    ),
    (
        "We keep your order records for five years after your last purchase, then delete them.",
        "Data Retention",
    ),
    (
        "Our website does not respond to Do Not Track signals sent by your browser.",
        "Do Not Track",
    ),
    (
        "We will post any changes to this policy on this page and tell you by email.",
        "Policy Change",
    ),
    (
        "회사는 회원 가입 시 이름, 휴대전화번호, 이메일 주소를 수집합니다.",
        "First Party Collection/Use",
    ),
    (
        "회사는 이용자의 개인정보를 원칙적으로 외부에 제공하지 않으나, 배송업체에 주소와 연락처를 제공합니다.",
        "Third Party Sharing/Collection",
    ),
    (
        "회원 탈퇴 시 개인정보는 지체 없이 파기하며, 전자상거래 기록은 5년간 보관합니다.",
        "Data Retention",
    ),
    (
        "회사는 개인정보를 암호화하여 저장하고 접근 권한을 최소한의 인원으로 제한합니다.",
        "Data Security",
    ),
    (
        "만 14세 미만 아동의 개인정보를 처리하려면 법정대리인의 동의를 받습니다.",
        "International and Specific Audiences",
    ),
]

TERMS_CASES = [
    (
        "Any dispute shall be resolved exclusively by binding arbitration in Singapore.",
        "a",
    ),
    (
        "We may terminate your account at any time, for any reason, without notice.",
        "ter",
    ),
    ("These terms are governed by the laws of the State of New York.", "law"),
    (
        "회사는 서비스 이용과 관련하여 회원에게 발생한 어떠한 손해에 대하여도 책임을 지지 않습니다.",
        "ltd",
    ),
    ("회사는 회원에게 사전 통지 없이 언제든지 이용계약을 해지할 수 있습니다.", "ter"),
    ("회원이 서비스를 이용하는 경우 이 약관에 동의한 것으로 간주합니다.", "use"),
]


@pytest.mark.parametrize(("text", "label"), PRACTICE_CASES, ids=lambda v: str(v)[:30])
def test_practices_in_english_and_korean(text: str, label: str) -> None:
    (result,) = classify_texts([text], "practices")
    assert label in result.labels, result.scores


@pytest.mark.parametrize(("text", "label"), TERMS_CASES, ids=lambda v: str(v)[:30])
def test_unfair_terms_in_english_and_korean(text: str, label: str) -> None:
    (result,) = classify_texts([text], "unfair-terms")
    assert label in result.labels, result.scores


def test_a_fair_clause_is_not_flagged() -> None:
    fair = [
        "회원은 상품을 받은 날부터 7일 이내에 청약을 철회할 수 있습니다.",
        "You can pay by credit card or bank transfer.",
    ]
    assert [r.labels for r in classify_texts(fair, "unfair-terms")] == [(), ()]


def test_one_per_line_json_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [text for text, _ in PRACTICE_CASES[:3]] + [
        "",
        "  indented line kept as it is",
    ]
    source = tmp_path / "clauses.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = run(
        ["classify", str(source), "--one-per-line", "--format", "json"], capsys
    )
    assert code == 0
    data = json.loads(out)
    assert [d["text"] for d in data] == lines
    for entry in data:
        assert set(entry) == {"text", "labels", "scores"}
        assert list(entry["scores"]) == list(PRACTICES)
        assert all(0.0 <= s <= 1.0 for s in entry["scores"].values())
        assert set(entry["labels"]) <= set(PRACTICES)
        assert all(entry["scores"][label] >= 0.5 for label in entry["labels"])
    assert data[0]["labels"] == ["First Party Collection/Use"]

    code, out, _ = run(
        [
            "classify",
            str(source),
            "--one-per-line",
            "-f",
            "json",
            "--task",
            "unfair-terms",
        ],
        capsys,
    )
    assert code == 0
    assert all(list(d["scores"]) == list(UNFAIR_TERMS) for d in json.loads(out))


def test_classify_a_document_labels_its_clauses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        ["classify", str(TERMS_EXAMPLE), "--task", "unfair-terms", "-f", "json"], capsys
    )
    assert code == 0
    data = json.loads(out)
    text = TERMS_EXAMPLE.read_text("utf-8")
    assert all(d["text"] in text and d["clause"].startswith("c") for d in data)
    flagged = {label for d in data for label in d["labels"]}
    assert {"a", "ltd", "ter", "use", "pinc", "law", "cr", "ch"} <= flagged
    code, out, _ = run(
        ["--lang", "ko", "classify", str(TERMS_EXAMPLE), "--task", "unfair-terms"],
        capsys,
    )
    assert code == 0 and "책임 제한·면책" in out and "중재" in out


def test_audit_picks_kr_terms_for_terms(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["audit", str(TERMS_EXAMPLE), "-f", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert [p["pack"] for p in data["packs"]] == ["kr-terms"]
    rules = {f["rule"] for f in data["findings"]}
    assert {
        "kr-terms.7.limitation_of_liability",
        "kr-terms.14.arbitration",
        "kr-terms.9.unilateral_termination",
        "kr-terms.6.privacy_included",
    } <= rules
    for finding in data["findings"]:
        (evidence,) = finding["evidence"]
        assert (
            data["document"]["text"][evidence["start"] : evidence["end"]]
            == evidence["text"]
        )
    refund = "회원은 상품을 받은 날부터 7일 이내에 청약을 철회할 수 있습니다."
    assert all(f["evidence"][0]["text"] != refund for f in data["findings"])


def test_audit_with_practices(capsys: pytest.CaptureFixture[str]) -> None:
    example = ROOT / "examples" / "hanbit-market-privacy-ko.html"
    code, out, _ = run(["audit", str(example), "-f", "json", "--practices"], capsys)
    assert code == 0
    data = json.loads(out)
    assert [p["pack"] for p in data["packs"]] == ["kr-pipa"]
    practices = data["practices"]
    assert practices and all(p["labels"] for p in practices)  # at least one each
    seen = {label for p in practices for label in p["labels"]}
    assert {
        "First Party Collection/Use",
        "Data Retention",
        "Third Party Sharing/Collection",
    } <= seen
    code, out, _ = run(["--lang", "ko", "audit", str(example), "--practices"], capsys)
    assert "분류별 조항" in out and "보유·파기" in out
    code, out, _ = run(["audit", str(example), "--practices", "-f", "html"], capsys)
    assert code == 0
    section = out[out.index("Privacy practices (classifier)") :]
    assert (
        "Data retention (" in section and '<span class="rule mono small">c' in section
    )


def test_document_kind() -> None:
    terms = document_from_bytes(TERMS_EXAMPLE.read_bytes(), "terms.md")
    policy = document_from_bytes(
        b"# Privacy Policy\n\nWe collect your email address.\n", "p.md"
    )
    english_terms = document_from_bytes(
        b"# Terms of Service\n\nBy using the service you agree to these terms.\n",
        "t.md",
    )
    assert [document_kind(d) for d in (terms, policy, english_terms)] == [
        "terms",
        "policy",
        "terms",
    ]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["classify", "missing-file.txt", "--one-per-line"], "no such file"),
        (["classify", "x.txt", "--task", "sentiment"], "sentiment"),
        (["train", "--shared", "/nonexistent/shared"], "no training data"),
    ],
)
def test_bad_input_is_one_line(
    args: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(args, capsys)
    assert_one_line_error(code, err, expected)


def test_lines_must_be_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "euc.txt"
    source.write_bytes("개인정보를 수집합니다.\n".encode("euc-kr"))
    code, _, err = run(["classify", str(source), "--one-per-line"], capsys)
    assert_one_line_error(code, err, "UTF-8")


def _tiny_shared(root: Path) -> Path:
    """A corpus in OPP-115's and CLAUDETTE's formats, of our own writing."""
    opp = root / "datasets" / "opp115"
    (opp / "consolidation-0.75").mkdir(parents=True)
    (opp / "sanitized_policies").mkdir()
    segments = [
        (
            "We collect your email address when you sign up.",
            "First Party Collection/Use",
        ),
        (
            "We share your data with advertising partners.",
            "Third Party Sharing/Collection",
        ),
        ("We keep your data for two years.", "Data Retention"),
        ("Contact us at privacy@example.test with questions.", "Other"),
    ]
    for policy in ("1_alpha.test", "2_beta.test"):
        (opp / "sanitized_policies" / f"{policy}.html").write_text(
            "|||".join(f"{text} <br>" for text, _ in segments), encoding="utf-8"
        )
        rows = [
            f'{n},batch,{annotator},1,{n},{label},"{{}}",Not specified,http://x.test'
            for n, (_, label) in enumerate(segments)
            for annotator in (101, 102)
        ]
        (opp / "consolidation-0.75" / f"{policy}.csv").write_text(
            "\n".join(rows) + "\n"
        )
    tos = root / "datasets" / "claudette"
    for part in ("sentences", "tags"):
        (tos / part / "en").mkdir(parents=True)
    (tos / "sentences" / "en" / "Alpha.txt").write_text(
        "We may end your account at any time.\nYou can pay by card.\nDisputes go to arbitration.\n"
    )
    (tos / "tags" / "en" / "Alpha.txt").write_text("ter3\n\na2 ter1\n")
    return root


def test_training_from_a_corpus_round_trips(tmp_path: Path) -> None:
    shared = _tiny_shared(tmp_path / "shared")
    examples = opp115(shared, min_annotators=2)
    assert len(examples) == 8 and {e.group for e in examples} == {
        "1_alpha.test",
        "2_beta.test",
    }
    assert unfair(["a2", "ter1", "ltd3", "countrym"]) == frozenset({"a", "ltd"})
    model = build(TASKS["practices"], shared, cache=tmp_path / "cache.npz")
    assert (tmp_path / "cache.npz").exists()
    path = tmp_path / "out" / "practices.npz"
    model.save(path)
    loaded = Classifier.load(path)
    texts = ["We collect your email address.", "회사는 이메일 주소를 수집합니다."]
    assert np.allclose(loaded.scores(texts), model.scores(texts), atol=1e-3)
    assert loaded.meta["trained_on"]["clauses"] == 8 + len(TASKS["practices"].korean())
    assert "non-commercial" in loaded.meta["terms"]


def test_shipped_weights_say_what_they_were_trained_on() -> None:
    practices = load_classifier("practices")
    assert practices.labels == PRACTICES
    assert practices.meta["trained_on"]["corpus"] == "OPP-115"
    assert "research, teaching and scholarship" in practices.meta["terms"]
    assert load_classifier("unfair-terms").labels == UNFAIR_TERMS


def test_only_the_first_characters_are_embedded() -> None:
    from privwatch.classify.embed import MAX_CHARS, embed

    head = "회사는 이용자의 개인정보를 안전하게 관리합니다. " * (MAX_CHARS // 20)
    long = head[:MAX_CHARS] + "We sell your data to anyone. " * 5000
    vectors = embed([long, head[:MAX_CHARS]])
    assert np.allclose(vectors[0], vectors[1], atol=1e-6)


def test_embeddings_are_cached_by_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = importlib.import_module("privwatch.classify.embed")
    monkeypatch.setenv("PRIVWATCH_CACHE_DIR", str(tmp_path))
    texts = ["회사는 언제든지 약관을 변경할 수 있습니다.", "We may end your account."]
    first = module.embed([texts[0], texts[1], texts[0]])
    files = sorted((tmp_path / "embeddings").glob("*.npy"))
    assert len(files) == 2  # one per distinct text, named by its sha256
    assert all(len(f.stem) == 64 for f in files)
    assert np.array_equal(first[0], first[2])

    def no_model() -> None:
        raise AssertionError("the model ran although every vector was cached")

    monkeypatch.setattr(module, "_e5", no_model)
    assert np.array_equal(module.embed(texts), first[:2])
    files[0].write_bytes(b"not a vector")  # a damaged entry is a miss, not an error
    monkeypatch.undo()
    monkeypatch.setenv("PRIVWATCH_CACHE_DIR", str(tmp_path))
    assert np.allclose(module.embed(texts), first[:2], atol=1e-6)


def test_unfair_term_facts_embed_only_clauses_that_could_be_labelled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from privwatch import classify
    from privwatch.pipeline import document_from_bytes

    text = (
        "제1조 (목적)\n\n이 약관은 회사가 제공하는 서비스의 이용 조건을 정합니다.\n\n"
        "제2조 (면책)\n\n회사는 서비스 이용과 관련하여 어떠한 책임도 지지 않습니다.\n\n"
        "제3조 (변경)\n\n회사는 사전 통지 없이 언제든지 이 약관을 변경할 수 있습니다.\n\n"
        "고객센터: 1588-0000 (평일 09:00~18:00)\n\n"
        "사업자등록번호: 123-45-67890\n\n"
        "2024년 1월 1일\n"
    )
    document = document_from_bytes(text.encode(), "terms.txt")
    embedded: list[str] = []
    real = classify.embed

    def counting(texts: list[str]) -> np.ndarray:
        embedded.extend(texts)
        return real(texts)

    monkeypatch.setattr(classify, "embed", counting)
    facts = classify.unfair_term_facts(document)
    full = [
        (item.clause, label, f"{item.scores[label]:.2f}")
        for item in classify.classify_document(document, "unfair-terms")
        for label in item.labels
    ]
    assert [(f.evidence[0].clause, f.value, f.get("score")) for f in facts] == full
    assert len(embedded) < len(document.clauses)  # the contact lines are not
    embedded.clear()
    assert (
        classify.unfair_term_facts(document, wanted=lambda clause, label: False) == []
    )
    assert embedded == []


def test_tfidf_features_are_scikit_learns() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [
        "회사는 사전 통지 없이 언제든지 이용계약을 해지할 수 있습니다.",
        "We   may\tsuspend your account at any time, for any reason.",
        "",
        "ÉCOLE école a b c",
        "제3조(약관의 변경) ① 회사는 「약관의 규제에 관한 법률」을 위반하지 않는 범위에서",
        *[text for text, _ in TERMS_CASES],
    ]
    for ours in load_classifier("unfair-terms").vectorizers:
        theirs = TfidfVectorizer(**ours.options, vocabulary=ours.vocabulary_)  # type: ignore[attr-defined]
        theirs.idf_ = ours.idf_
        expected, got = theirs.transform(texts), ours.transform(texts)
        expected.sort_indices()
        assert np.array_equal(expected.indptr, got.indptr)
        assert np.array_equal(expected.indices, got.indices)
        assert np.array_equal(expected.data, got.data)  # bit for bit


@pytest.mark.parametrize("task", ["unfair-terms", "practices"])
def test_text_scores_without_scipy_are_the_sparse_products(task: str) -> None:
    classifier = load_classifier(task)
    texts = [
        "",
        "회사는 사전 통지 없이 언제든지 이용계약을 해지할 수 있습니다.",
        "We   may\tsuspend your account at any time, for any reason.",
        " ".join(text for text, _ in TERMS_CASES) * 3,
        *[text for text, _ in TERMS_CASES],
    ]
    sparse_products = classifier.text_head.proba(classifier.text_features(texts))
    got = classifier.text_scores(texts)
    assert got.dtype == np.float32
    assert np.array_equal(got.view(np.uint32), sparse_products.view(np.uint32))


def test_audit_does_not_import_scikit_learn(tmp_path: Path) -> None:
    """Nor scipy: the TF-IDF head scores with numpy alone."""
    import subprocess
    import sys

    source = tmp_path / "terms.txt"
    source.write_text(
        "이용약관\n\n제1조 (면책)\n\n회사는 서비스 이용과 관련하여 어떠한 책임도 지지 않습니다.\n",
        encoding="utf-8",
    )
    code = (
        "import sys\nfrom privwatch.cli import main\n"
        "try:\n    main(['audit', '-f', 'json', sys.argv[1]])\n"
        "except SystemExit:\n    pass\n"
        "print('sklearn' in sys.modules or 'scipy' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(source)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stderr.strip().splitlines()[-1] == "False"
