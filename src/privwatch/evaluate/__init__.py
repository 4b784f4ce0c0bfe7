"""A privacy policy scored after PIPC's privacy policy evaluation (처리방침
평가제, PIPA Art. 30-2; notice in force 2024-02-20), in its three areas.

- **적정성 (appropriateness)**: read from the kr-pipa rule pack's results on the
  policy (met, unmet, not applicable: ``privwatch.evaluate.requirements.assess``),
  grouped as the things PIPC looks at: every Art. 30 item present; purposes
  and items without an open '등'; retention with a start point and statute;
  what is processed without consent listed with its basis; recipients,
  outsourcees and overseas transfers disclosed; lawful consent; contacts;
  rights guidance.
- **가독성 (readability)**: measured on the text as segmented by
  ``privwatch.segment`` (Kiwi's sentences): written in Korean; sentence length
  (mean, and the share over a threshold); the share of Latin letters in a
  Korean policy; jargon and translationese from a word list
  (``data/jargon.yaml``, with its sources); a table of contents; tables;
  processing labels (개인정보 처리 표시, 라벨링) at the top.
- **접근성 (accessibility)**: taken from the site as a visitor without an account
  (``site``): the title exactly 「개인정보 처리방침」 in the page title and the
  link text; how many links from the home page (a bounded same-site crawl);
  behind a login or not (401/403, a redirect to a login address, or a
  password form on a page that does not show the policy).

Beside the three areas, every item of PIPC's 「개인정보 처리방침 작성지침」 with
its status (``privwatch.rules.guideline``), from the same rule results.
Shown by ``privwatch.report.evaluation``.

What the text and the site cannot show is marked ``needs_review`` with the
reason: the policy matching what users are told at collection; the officer
and domestic agent actually answering; use on a phone; steps in the app.

Weights and thresholds are data (``data/evaluation.yaml``), and they are ours:
PIPC's 26 items and 42 indicators and their points are not public. An area's
score is the weighted mean of what could be measured, with the share of its
weight that was (``coverage``).
"""

from privwatch.evaluate.config import Config, load_config
from privwatch.evaluate.core import evaluate_document, evaluate_policy
from privwatch.evaluate.model import (
    AreaResult,
    IndicatorResult,
    PageCheck,
    PolicyEvaluation,
    SiteCheck,
)
from privwatch.store.evaluations import evaluations, latest_evaluations, save_evaluation

__all__ = [
    "AreaResult",
    "Config",
    "IndicatorResult",
    "PageCheck",
    "PolicyEvaluation",
    "SiteCheck",
    "evaluate_document",
    "evaluate_policy",
    "evaluations",
    "latest_evaluations",
    "load_config",
    "save_evaluation",
]
