"""The facts rules may name: every kind, its value and its attributes, typed.

This is the one declaration of the contract between ``extract`` (and the other
producers of facts: ``consistency`` for observed traffic, ``classify`` for
unfair terms) and the rule packs. A pack's conditions are checked against it
when the pack loads (``rules.conditions``), the facts the extractor produces
are checked against it by the tests, and the table in ``docs/facts.md`` is
generated from it (``markdown_table``; a test checks they agree).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from privwatch.models import Fact

#: reason codes a fact may carry in its ``review`` attribute: the text alone
#: cannot settle what the fact says (messages: ``review.<code>``)
REVIEW_CODES = (
    "scope",
    "threshold",
    "table_lost",
    "reading",
    "partial_list",
    "global",
    "classifier",
    "consent_basis",
)

TOPICS = (
    "purposes",
    "items",
    "retention",
    "destruction",
    "provision",
    "outsourcing",
    "overseas",
    "rights",
    "safeguards",
    "officer",
    "cookies",
    "agent",
    "no_consent",
)
#: CLAUDETTE's categories, and ``wd`` (order withdrawal restricted, read by rules only)
UNFAIR_CATEGORIES = ("a", "ch", "cr", "j", "law", "ltd", "ter", "use", "pinc", "wd")


@dataclass(frozen=True, slots=True)
class Type:
    """A value's type: ``bool`` or ``str``, perhaps None, perhaps one of ``choices``."""

    base: type
    optional: bool = False
    choices: tuple[str, ...] = ()

    def accepts(self, value: object) -> bool:
        if value is None:
            return self.optional
        if self.base is type(None):
            return False
        if self.base is bool:
            return isinstance(value, bool)
        if not isinstance(value, str):
            return False
        return not self.choices or value in self.choices

    def describe(self) -> str:
        if self.choices:
            words = " \\| ".join(f"`{c}`" for c in self.choices)
        else:
            words = self.base.__name__
        return f"{words} or null" if self.optional else words

    def plain(self) -> str:
        """The type in an error message."""
        words = (
            f"one of {', '.join(self.choices)}" if self.choices else self.base.__name__
        )
        return f"{words} or null" if self.optional else words


BOOL = Type(bool)
OPT_BOOL = Type(bool, optional=True)
STR = Type(str)
OPT_STR = Type(str, optional=True)
NONE = Type(type(None), optional=True)  # a kind whose value is always None
REVIEW = Type(str, optional=True, choices=REVIEW_CODES)


def choice(*values: str, optional: bool = False) -> Type:
    return Type(str, optional=optional, choices=values)


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of fact: what its value is, its attributes (name, type, meaning),
    and when it is produced."""

    name: str
    value: Type
    value_doc: str
    attrs: tuple[tuple[str, Type, str], ...]
    produced: str

    def attr_types(self) -> dict[str, Type]:
        return {name: kind for name, kind, _ in self.attrs} | {"review": REVIEW}


_28_8 = "bool: the 28-8② item is disclosed"
KINDS: tuple[Kind, ...] = (
    Kind(
        "section",
        choice(*TOPICS),
        "the topic",
        (),
        "the policy has a heading or clause cluster on the topic",
    ),
    Kind(
        "item",
        STR,
        "canonical data category, e.g. `contact.email`, `id.rrn`, `sensitive.health`",
        (
            ("term", STR, "the words found"),
            ("mandatory", OPT_BOOL, "required (true), optional (false) or not said"),
        ),
        "a collected personal-data item is named",
    ),
    Kind(
        "purpose",
        NONE,
        "–",
        (("vague", BOOL, "the purposes end in vague wording"),),
        "a clause states purposes of processing",
    ),
    Kind(
        "recipient",
        OPT_STR,
        "the name or categories as written",
        (
            ("named", BOOL, "a named organisation, not a category"),
            ("role", choice("provision", "outsourcing", "transfer"), "the disclosure"),
            (
                "with_consent",
                BOOL,
                "the sentence makes the provision conditional on consent",
            ),
            (
                "tabled",
                BOOL,
                "a table in the section, or one the sentence points to, names the recipients",
            ),
        ),
        "a table names a recipient, or a sentence hands data to recipients named only by category",
    ),
    Kind(
        "provision",
        NONE,
        "–",
        (
            ("complete", BOOL, "recipient, purpose, items and retention all given"),
            ("missing", STR, "which of them the table lacks, comma-separated"),
        ),
        "a third-party provision table row",
    ),
    Kind(
        "outsourcing",
        NONE,
        "–",
        (
            ("outsourcee", BOOL, "the outsourcee is named"),
            ("task", BOOL, "the outsourced task is given"),
        ),
        "outsourced processing is described",
    ),
    Kind(
        "transfer",
        OPT_STR,
        "recipient name or null",
        (
            (
                "country",
                STR,
                "ISO codes, comma-separated, `unspecified` among them for "
                '"worldwide" or "other regions"',
            ),
            ("unspecified", BOOL, "the country is not specified"),
            ("recipient_named", BOOL, "the recipient is a named organisation"),
            ("items", BOOL, _28_8),
            ("time_method", BOOL, _28_8),
            ("purpose", BOOL, _28_8),
            ("retention", BOOL, _28_8),
            ("contact", BOOL, _28_8),
            ("refusal", BOOL, _28_8),
            (
                "basis",
                BOOL,
                "a 28-8① ground is named; deemed consent does not count",
            ),
            ("complete", BOOL, "every 28-8② item is disclosed"),
            ("missing", STR, "the absent items, comma-separated"),
        ),
        "an overseas transfer is described (a table row or column whose country is "
        "not only KR, or a prose clause in an overseas section)",
    ),
    Kind(
        "country",
        STR,
        "ISO 3166 alpha-2 or `unspecified`",
        (("context", choice("transfer", "other"), "where it is named"),),
        'a country (or "worldwide", "전 세계", "outside your country") is named',
    ),
    Kind(
        "retention",
        NONE,
        "–",
        (
            ("concrete", BOOL, "a period such as 3년, 6 months"),
            (
                "vague",
                BOOL,
                '"until the purpose is achieved", 필요한 기간, "as long as necessary"',
            ),
            ("statute", BOOL, "names a law"),
            (
                "start_point",
                BOOL,
                '탈퇴일로부터, "from the date of"; a table row also reads its column headers',
            ),
        ),
        "a sentence states how long data are kept",
    ),
    Kind(
        "consent_exception",
        NONE,
        "–",
        (
            ("emergency", BOOL, "life/body/property"),
            ("manifest", BOOL, "명백히/manifestly"),
            ("imminent", BOOL, "급박한/imminent"),
            ("narrow", BOOL, "the urgency qualifier is there"),
            ("company_interest", BOOL, "the company's own rights or property"),
        ),
        "a sentence lets data be used or provided without consent, or discloses "
        "data to protect the company's own rights",
    ),
    Kind(
        "deemed_consent",
        NONE,
        "–",
        (),
        'consent is deemed or bundled ("by using the service you agree", 동의한 것으로 봅니다)',
    ),
    Kind(
        "refusal_blocks_service",
        NONE,
        "–",
        (("basis", BOOL, "the reason is stated"),),
        "refusing a transfer or provision ends or limits the service",
    ),
    Kind(
        "cookies",
        NONE,
        "–",
        (("refusal", BOOL, "how to refuse or disable them is stated"),),
        "cookies or similar trackers are described",
    ),
    Kind(
        "officer",
        NONE,
        "–",
        (("contact", BOOL, "phone or email given"),),
        "a privacy officer (개인정보 보호책임자, DPO) is designated",
    ),
    Kind(
        "agent",
        NONE,
        "–",
        (
            ("name", BOOL, "the agent's name is given"),
            ("address", BOOL, "its address"),
            ("phone", BOOL, "its phone number"),
            ("email", BOOL, "its e-mail address"),
            ("complete", BOOL, "all four are given"),
            ("missing", STR, "the absent details, comma-separated"),
        ),
        "a domestic agent (국내대리인) is designated",
    ),
    Kind(
        "rights",
        NONE,
        "–",
        (
            ("access", BOOL, "right of access"),
            ("correction", BOOL, "to correction"),
            ("deletion", BOOL, "to deletion"),
            ("suspension", BOOL, "to suspension of processing"),
            ("withdrawal", BOOL, "to withdraw consent"),
            ("complete", BOOL, "all five are described"),
            ("missing", STR, "the absent rights, comma-separated"),
        ),
        "data subjects' rights are described",
    ),
    Kind(
        "rights_channel",
        NONE,
        "–",
        (
            (
                "foreign_only",
                BOOL,
                "the policy is not in Korean and does not say requests may be made in Korean",
            ),
        ),
        "how to exercise rights is described",
    ),
    Kind(
        "rrn",
        NONE,
        "–",
        (("basis", BOOL, "a statute permitting it is named"),),
        "resident registration numbers (주민등록번호) are collected",
    ),
    Kind(
        "sensitive",
        STR,
        "category",
        (
            ("separate_consent", BOOL, "separate consent is asked"),
            ("statute", BOOL, "a statute permitting it is named where it is listed"),
        ),
        "sensitive data (health, biometrics, beliefs...) are processed",
    ),
    # --- special processing (extract.special; PIPC's 처리방침 작성지침 items) ---
    Kind(
        "public_posting",
        NONE,
        "–",
        (
            (
                "explicit",
                BOOL,
                "the text says users' posts or profiles are shown to others",
            ),
            (
                "sensitive_notice",
                BOOL,
                "the passage says sensitive information may become known",
            ),
            ("choice", BOOL, "the passage says how to keep information private"),
            ("addressed", BOOL, "either is said (Art. 23(3))"),
        ),
        "the text shows users' information is made public, or that users post or review",
    ),
    Kind(
        "unique_id",
        STR,
        "`id.passport`, `id.driver_licence` or `id.foreigner_number`",
        (
            ("basis", BOOL, "a statute is named where it is listed"),
            ("separate_consent", BOOL, "separate consent is said there"),
        ),
        "a clause names a unique identifier other than the RRN as collected, and no "
        "place naming it gives a statute or separate consent",
    ),
    Kind(
        "marketing_purpose",
        NONE,
        "–",
        (("consent", BOOL, "the same disclosure makes it optional or consent-based"),),
        "a clause lists marketing or advertising to the user among the purposes "
        "(cookies' purposes included); `review` when only a heading says it or the "
        "policy says once that marketing needs consent",
    ),
    Kind(
        "pseudonymised",
        NONE,
        "–",
        (
            ("purpose", BOOL, "the purpose of the processing is given"),
            ("items", BOOL, "the items are given"),
            ("complete", BOOL, "both are given"),
            ("missing", STR, "the absent ones, comma-separated"),
        ),
        "the policy processes or provides pseudonymised information (가명정보)",
    ),
    Kind(
        "additional_use",
        NONE,
        "–",
        (
            (
                "criteria",
                BOOL,
                "three or more of the Decree 14-2 considerations are given",
            ),
        ),
        "the policy may use or provide data without consent within the original "
        'purposes (Art. 15(3), 17(4)); GDPR-style "compatible purposes" with `review`',
    ),
    Kind(
        "behavioural_ads",
        NONE,
        "–",
        (
            ("info", BOOL, "which behavioural information"),
            ("tools", BOOL, "the tools or businesses collecting it"),
            ("refusal", BOOL, "how to refuse"),
            ("complete", BOOL, "all three are given"),
            ("missing", STR, "the absent ones, comma-separated"),
        ),
        "behavioural information is used for targeted advertising",
    ),
    Kind(
        "processing_place",
        OPT_STR,
        "ISO codes of the countries named as where data are processed, or null",
        (
            ("abroad", BOOL, "the text says data are processed or stored abroad"),
            ("country_named", BOOL, "a country of processing is named"),
        ),
        "the business is foreign or says it processes data abroad, and runs servers "
        "(Decree 31(1)4); a country named only for users elsewhere does not count, "
        "one named only as where some data go gives `review`",
    ),
    Kind(
        "video_devices",
        NONE,
        "–",
        (
            (
                "devices",
                BOOL,
                "a statement says video devices are operated (false: video "
                "information among the purposes, or a table-of-contents line)",
            ),
            ("matters", BOOL, "the operating matters are given, or a separate policy"),
            ("missing", STR, "the absent matters, comma-separated"),
        ),
        "the policy mentions CCTV or other video devices (Art. 25, 25-2)",
    ),
    Kind(
        "local_only",
        NONE,
        "–",
        (),
        "the app keeps data on the device and its developer runs no server for them",
    ),
    Kind(
        "registered_files",
        NONE,
        "–",
        (),
        "the policy points to registered personal-data files (Art. 32), whose entries carry each file's legal basis",
    ),
    Kind(
        "unfilled",
        NONE,
        "–",
        (),
        "placeholders or blank fields are left in the text (a template, or a copy that lost content)",
    ),
    Kind(
        "vague_wording",
        STR,
        "the expression (`등`, `기타`, `필요한 기간`, `관련 법령에 따라`, "
        "`including but not limited to`, `as long as necessary`)",
        (("topic", choice("purposes", "items", "retention"), "where it stands"),),
        "vague wording in purposes, items or retention",
    ),
    Kind(
        "no_consent_list",
        NONE,
        "–",
        (("basis", BOOL, "the legal basis is named"),),
        "the policy lists separately what it processes without consent and the legal basis",
    ),
    # --- the policy about itself and where to turn (extract/notice.py) ---
    Kind(
        "effective_date",
        STR,
        "the date as written",
        (),
        "the policy states when this version takes effect or was last updated "
        '(시행일자, "이 개인정보 처리방침은 … 부터 적용됩니다", "Effective", "Last '
        'updated"), or a date stands alone under its title',
    ),
    Kind(
        "policy_changes",
        NONE,
        "–",
        (
            ("notice", BOOL, "how or when users are told of changes"),
            (
                "history",
                BOOL,
                "a list of changes or earlier versions, or a pointer to them",
            ),
        ),
        "the policy says how it changes",
    ),
    Kind(
        "access_department",
        NONE,
        "–",
        (
            ("contact", BOOL, "a phone number, e-mail or web address is given there"),
            (
                "dedicated",
                BOOL,
                "a section on where access requests go (열람청구 접수·처리 부서)",
            ),
            (
                "requests",
                BOOL,
                "said to take access or rights requests (false: only a contact "
                "for privacy questions)",
            ),
        ),
        "the policy names where access requests, or requests to exercise rights, "
        "go: a department, the privacy officer, a team or a contact; or gives a "
        "contact for privacy questions",
    ),
    Kind(
        "remedy",
        choice(
            "dispute_committee",
            "kisa",
            "prosecution",
            "police",
            "pipc",
            "appeal",
            "generic",
        ),
        "the body: Korea's dispute mediation committee, KISA's report centre "
        "(118), the prosecutors' or police cyber units, PIPC, an administrative "
        "appeal; `generic` for a data protection authority in general",
        (),
        "an outside body a data subject can turn to for an infringement is named",
    ),
    Kind(
        "children",
        NONE,
        "–",
        (
            (
                "consent",
                BOOL,
                "the legal representative's consent, or role for the child, is explained",
            ),
            ("barred", BOOL, "children are not served or their data not collected"),
            (
                "collects",
                BOOL,
                "children's data are collected or the service is for children",
            ),
            (
                "adults",
                BOOL,
                "the service addresses adults or businesses only (job applicants, "
                "business members)",
            ),
        ),
        "children (under 14, minors) are mentioned, or the policy addresses "
        "adults or businesses only",
    ),
    Kind(
        "automated_decision",
        NONE,
        "–",
        (
            ("fully", BOOL, "the decision is said to be fully automated"),
            (
                "significant",
                BOOL,
                "it affects the user's rights (suspension, credit, hiring...)",
            ),
            (
                "rights",
                BOOL,
                "the right to refuse, to an explanation or to human review is given",
            ),
            ("criteria", BOOL, "the criteria and procedure are given"),
        ),
        "decisions are made by automated means (not personalised recommendations "
        "or ads alone); a review item unless plainly fully automated and significant",
    ),
    Kind(
        "portability",
        NONE,
        "–",
        (
            (
                "right",
                BOOL,
                "the right to have one's data transmitted (전송요구) is given",
            ),
            (
                "covered",
                BOOL,
                "the policy says the business is a designated transmitter",
            ),
            (
                "sector",
                BOOL,
                "a designated sector (health care, telecoms, energy) is named",
            ),
        ),
        "transmission of one's data, the business's designation or its sector is mentioned",
    ),
    Kind(
        "template_markup",
        NONE,
        "–",
        (),
        "the text holds template markup a site's build fills in ({% … %}, {{ … }}) "
        "or a template's placeholders ([날짜], [회사명]): the copy may lack content "
        "the live page shows",
    ),
    Kind(
        "unfair_term",
        choice(*UNFAIR_CATEGORIES),
        "CLAUDETTE category code (`wd`: order withdrawal restricted)",
        (
            ("source", choice("rule", "classifier"), "who read it"),
            ("check", OPT_STR, "the check of `extract/data/terms.yaml` that read it"),
            ("score", OPT_STR, "the classifier's probability, two decimals"),
            (
                "review",
                REVIEW,
                "why a person must weigh it: `classifier` (only the classifier judged it), `reading` (the sentence rests on grounds given elsewhere)",
            ),
        ),
        "only when a pack has rules on it (`kr-terms`): a check of "
        "`extract/data/terms.yaml` reads the sentence as unfair in that category, "
        "or the unfair-terms classifier judges the clause so (a review item); the "
        "evidence is the sentence that says it",
    ),
    Kind(
        "flow",
        STR,
        "`data type → organisation (country)`",
        (
            ("data_type", STR, "the personal data type observed"),
            ("organization", STR, "the receiving organisation, or the host"),
            ("country", OPT_STR, "ISO code of the destination, null when unknown"),
            ("party", choice("first", "third"), "first or third party"),
            ("cross_border", BOOL, "the destination is not the user's country"),
            ("country_disclosed", BOOL, "a transfer to that country is disclosed"),
            (
                "disclosure_complete",
                BOOL,
                "one such transfer discloses every 28-8② item",
            ),
            (
                "class",
                choice("clear", "vague", "ambiguous", "incorrect", "omitted"),
                "the flow against the policy (PoliCheck's classes)",
            ),
        ),
        "only with a recorded session (`--traffic`): one per observed flow of "
        "personal data (data type, organisation, country, party); the evidence "
        "is the requests",
    ),
    Kind(
        "behaviour",
        STR,
        "the check (`keylogging`, `session_replay`, `after_reject`…)",
        (
            (
                "check",
                choice(
                    "keylogging",
                    "keylogging_first_party",
                    "session_replay",
                    "dom_upload",
                    "fingerprinting",
                    "third_party_cookie",
                    "after_reject",
                    "before_consent",
                ),
                "which behaviour check observed it",
            ),
            ("certainty", choice("certain", "review"), "the check's own certainty"),
            ("organization", OPT_STR, "the receiving organisation, null when unknown"),
            ("host", OPT_STR, "the request's or the script's host"),
            ("party", choice("first", "third"), "first or third party"),
        ),
        "only with a page record beside the HAR (`--traffic X.har` reads "
        "`X.record.json`): one per observation of `traffic.behaviour` (data "
        "typed and sent before submit, session replay, fingerprinting, "
        'third-party cookies, advertising requests after "reject all" or '
        "before consent); the evidence is the request",
    ),
)

KIND_BY_NAME = {kind.name: kind for kind in KINDS}

#: keys of the evaluation context a condition may test, all booleans
CONTEXT: tuple[tuple[str, str], ...] = (
    (
        "foreign",
        "the business is foreign to Korea (`--foreign`/`--domestic`, otherwise "
        "inferred from the policy not being in Korean)",
    ),
    (
        "korea_facing",
        "the document addresses Korean users or no one place (false when it "
        "addresses only users elsewhere: `document.scope`)",
    ),
    (
        "agent_required",
        "the business meets Art. 31-2's thresholds or is designated "
        "(`--agent-required`); unknown, hence false, unless given",
    ),
)
CONTEXT_KEYS = tuple(name for name, _ in CONTEXT)


def problems(fact: Fact) -> list[str]:
    """What in ``fact`` the declaration does not allow (empty when it conforms)."""
    kind = KIND_BY_NAME.get(fact.kind)
    if kind is None:
        return [f"unknown kind {fact.kind!r}"]
    found = []
    if not kind.value.accepts(fact.value):
        found.append(f"{fact.kind}.value {fact.value!r} is not {kind.value.plain()}")
    types = kind.attr_types()
    for name, value in fact.attrs:
        wanted = types.get(name)
        if wanted is None:
            found.append(f"{fact.kind}.{name}: unknown attribute")
        elif not wanted.accepts(value):
            found.append(f"{fact.kind}.{name} {value!r} is not {wanted.plain()}")
    return found


def conforms(facts: Iterable[Fact]) -> list[str]:
    """Every problem of every fact in ``facts``."""
    return [problem for fact in facts for problem in problems(fact)]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown_table() -> str:
    """The table of kinds in ``docs/facts.md``, generated from ``KINDS``."""
    lines = [
        "| kind | value | attrs | produced when |",
        "|---|---|---|---|",
    ]
    for kind in KINDS:
        attrs = (
            "; ".join(
                f"`{name}` ({kind_.describe()}: {_cell(doc)})"
                if kind_.base is not bool or kind_.optional
                else f"`{name}` ({_cell(doc)})"
                for name, kind_, doc in kind.attrs
            )
            or "–"
        )
        value = "–" if kind.value is NONE else _value_doc(kind)
        lines.append(f"| `{kind.name}` | {value} | {attrs} | {_cell(kind.produced)} |")
    lines.append("")
    lines.append(
        "Every kind also allows `review` (a reason code or null: "
        + ", ".join(f"`{c}`" for c in REVIEW_CODES)
        + "): the text alone cannot settle the fact, so a finding resting on it "
        "is a review item (see [Certainty](#certainty))."
    )
    lines.append("")
    lines.append("Attributes are bools unless said otherwise. The evaluation context:")
    lines.append("")
    for name, doc in CONTEXT:
        lines.append(f"- `{name}` (bool): {doc}")
    return "\n".join(lines) + "\n"


def _value_doc(kind: Kind) -> str:
    if kind.value.choices:
        return f"{_cell(kind.value_doc)}: {kind.value.describe()}"
    suffix = " (or null)" if kind.value.optional else ""
    return _cell(kind.value_doc) + suffix
