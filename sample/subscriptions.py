"""The sample partnerships' subscriptions to notices (docs/alerts.md), made by `python -m sample` as an admin would
with `python -m shared.auth add-subscription`. Pure data; the addresses are example.org mailboxes of the agencies'
teams (a team's inbox, never a person's), delivered locally to the mail sink `make run` starts.

Read as of today, the sample's 2021-22 plan has actions long past their due day and a recommendation overdue since
June 2022: the sink shows what their owners would be told.
"""

from __future__ import annotations

SUBSCRIPTIONS: list[dict] = [
    {"id": "sub_sample-council-clocks", "partnership": "doncaster",
     "recipient": {"channel": "email", "address": "childrens-safeguarding@doncaster-council.example.org",
                   "name": "City of Doncaster Council, children's social care"},
     "topics": ["clocks", "actions", "kpis"], "owners": ["doncaster-council"],
     "when": {"before_working_days": [5, 1]}},
    {"id": "sub_sample-dscp-business-unit", "partnership": "doncaster",
     "recipient": {"channel": "email", "address": "business-unit@dscp.example.org",
                   "name": "DSCP business unit"},
     "topics": ["clocks", "actions", "recommendations"], "owners": ["dscp"], "when": {"before_working_days": [5]}},
    {"id": "sub_sample-trust-recommendations", "partnership": "doncaster",
     "recipient": {"channel": "email", "address": "quality-assurance@dcst.example.org",
                   "name": "Doncaster Children's Services Trust, quality assurance"},
     "topics": ["recommendations", "actions"], "owners": ["doncaster-childrens-services-trust"],
     "when": {"digest": "weekly"}},
    {"id": "sub_sample-lqi-learning-digest", "partnership": "doncaster",
     "recipient": {"channel": "email", "address": "lqi-group@dscp.example.org",
                   "name": "Learning, Quality and Improvement group"},
     "topics": ["learning"], "when": {"learning_digest": "quarter"}},
]
