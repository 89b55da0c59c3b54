"""Doncaster's strategies, delivery plan, KPIs and Ofsted areas, October 2021 to March 2022, as strategy events
(issue 7), emitted by the agency or group that owns each fact.

Pure data and deterministic ids (uuid5), no I/O, like sample.partnership. Where each fact comes from, in
/work/shared/domain/dscp-annual-report-2021-22.md:

- The strategies ("Strategy Development"): Domestic Abuse 2021-24 (launched October 2021 by the Safer Stronger
  Doncaster Partnership; its strategic priorities are not printed, so its themes are our reading of the aim,
  with the Domestic Abuse Charter's five standards), Child Exploitation (approved by the Board in December
  2021; its themes are not printed, its five key enablers are), Mental Health and Wellbeing 2022-25 (the nine
  WELLBEING ambitions, as printed), Neglect 2022-24 (the four "what we are going to do differently"), Family
  Hubs (its key priorities and next steps). Owners are as the report says (the sub groups belong to `dscp`;
  the Health and Wellbeing Board and Family Hubs to the council). Periods the report does not give
  (Child Exploitation, Family Hubs) are invented: 2021-12-01 to 2024-03-31 and 2021-04-01 to 2023-03-31.
- The delivery plan 2021-22 (Appendix 1): its 8 priorities, 22 lettered actions and "what will success look
  like", as printed (priorities 4 and 7 have one unlettered action, `priority-4-a` and `priority-7-a`).
  Owners: our reading of the plan (the board, COSOG, the LQI group and sub groups are `dscp`; DCST owns its
  Exploitation and Missing Action Plan, the police the SYP programmes, the CCG the mental health work). Due
  dates: 31 March 2022, the plan's end (the plan itself says "by the end of 2021/22" for priorities 1 and 8).
- What happened to each action, and when (invented where the report is silent, grounded where it speaks):
  2-a completed in December 2021 (the Board approved the exploitation strategy); 1-c completed (the new
  structure, Appendix 2); 4-a completed in March 2022 (the Board discussed the mental health strategy); 6-d
  completed (Youth Council, Hear Me voice groups); 8-a completed (the Threshold Guidance updated); 8-b on
  track (the procedures updated this period); 3-c on track (Child Matters: 81 sessions, 4,600 attendees);
  7-a completed. Invented: 3-d deferred to 2022-23; 3-b and 6-a reported at risk or on track without
  evidence; 5-c and 6-c never started (overdue at 31 March 2022); the other actions in progress.
- The Family Hub measures, as KPIs defined and valued by the council: 82% of children aged 0-5 are members
  (2021-22; the numerator and denominator, 16,400 of 20,000, are invented so that the service computes 82%);
  84% of children eligible for 2-year-old funding took up their places (2021-22; 1,176 of 1,400 invented);
  111 families in direct work with parent engagement workers; 225 young carers supported (2021-22); from
  2022-23: 0-2 membership to 75% and families accessing to 70% by 31 March 2023 (baselines of 68% and 62% at
  31 March 2022 are invented), young carers +4.5% each quarter from 225.
- Success measure KPIs of the plan: "100% compliance with use of Graded Care Profile when neglect identified"
  (priority 3, a standard, quarterly from 2022-Q2; no value yet).
- The Ofsted inspection of February 2022 ("Ofsted Inspection"): the nine areas for improvement as printed,
  recorded by the council. Each is linked to one action of the council's improvement plan (invented: the
  report says a plan exists, driven by the Practice Improvement Board, not its actions; planned 14 March
  2022, due 30 September 2022, no step reported by 31 March 2022), and the multi-agency ones also to
  delivery-plan actions (our reading: thresholds
  to 8-a, records and performance information to 6-a, assessments to 3-b, leaders' impact to 1-a).
- Next year's priorities ("Priorities for 2022-2023"): the six, as printed, in the delivery plan 2022-23.
- Recorded times: each event's `time` is the day its fact happened (plans on 1 October 2021), so the figures
  at any as-of date in the period show what was known then.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from shared.events.envelope import Envelope, new_event

PARTNERSHIP = "doncaster"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://scp.example/sample/dscp/strategy/2021-22")
DSCP, COUNCIL, TRUST, POLICE, CCG = ("dscp", "doncaster-council", "doncaster-childrens-services-trust",
                                     "south-yorkshire-police", "nhs-doncaster-ccg")
SOURCES = {DSCP: "/partners/dscp/business-unit", COUNCIL: "/partners/doncaster-council/performance",
           TRUST: "/partners/dcst/performance", POLICE: "/partners/south-yorkshire-police/safeguarding",
           CCG: "/partners/nhs-doncaster-ccg/safeguarding"}
PLAN, NEXT_PLAN, IMPROVEMENT_PLAN = "delivery-plan-2021-22", "delivery-plan-2022-23", "ofsted-improvement-plan-2022"
PLAN_DUE = "2022-03-31"

# the keys the owning agencies' systems use: {agency, partnerships, event_types, label}
KEYS: list[dict] = [
    {"agency": DSCP, "partnerships": [PARTNERSHIP], "event_types": ["strategy.*"],
     "label": "DSCP business unit: the delivery plan, its sub groups' strategies and actions"},
    {"agency": COUNCIL, "partnerships": [PARTNERSHIP], "event_types": ["strategy.*"],
     "label": "City of Doncaster Council: strategies, Family Hub KPIs, the Ofsted improvement plan"},
    {"agency": TRUST, "partnerships": [PARTNERSHIP], "event_types": ["strategy.action.*"],
     "label": "Doncaster Children's Services Trust: its delivery-plan and improvement actions"},
    {"agency": POLICE, "partnerships": [PARTNERSHIP], "event_types": ["strategy.action.*"],
     "label": "South Yorkshire Police: its delivery-plan actions"},
    {"agency": CCG, "partnerships": [PARTNERSHIP], "event_types": ["strategy.action.*"],
     "label": "NHS Doncaster CCG: its delivery-plan actions"},
]

STRATEGIES = (
    # (id, kind, title, starts_on, ends_on, owner agency, owner group, themes: (code, title, kind, description))
    ("domestic-abuse-2021-24", "strategy", "Domestic Abuse Strategy 2021-24", "2021-04-01", "2024-03-31", COUNCIL,
     "safer-stronger-doncaster-partnership", (
         ("reduce-incidents", "Reduce incidents of domestic abuse", "priority", None),
         ("support-victims", "Support adult and child victims and survivors to deal with the trauma they suffered",
          "priority", None),
         ("hold-to-account", "Hold abusers to account, and support them to change their behaviour", "priority",
          "Through a trauma informed response."),
         ("charter", "Domestic Abuse Charter: five standards for partner agencies", "standard",
          "Five standards partner agencies should aim to achieve to respond effectively to victims, perpetrators "
          "and families affected by domestic abuse."))),
    ("child-exploitation-strategy", "strategy", "Child Exploitation Strategy", "2021-12-01", "2024-03-31", DSCP,
     "child-exploitation-sub-group", (
         ("workforce-development", "Workforce Development", "enabler", None),
         ("quality-performance", "Quality & Performance", "enabler", None),
         ("commissioning", "Commissioning", "enabler", None),
         ("communication", "Communication", "enabler", None),
         ("sub-regional-landscape", "Sub-Regional Landscape", "enabler", None))),
    ("mental-health-wellbeing-2022-25", "strategy",
     "Children and Young People's Mental Health and Wellbeing Strategy 2022-25", "2022-04-01", "2025-03-31",
     COUNCIL, "health-and-wellbeing-board", (
         ("w-wellbeing-hub", "Wellbeing hub", "ambition", "Creating local hubs for young people giving them "
          "somewhere to go, something to do & someone to talk to."),
         ("e-emotions", "Emotions", "ambition", "Young people are aware of their emotions and how to express them "
          "in a healthy way."),
         ("l-learning", "Learning", "ambition", "Educating young people, parents/carers, school staff & "
          "professionals around supporting young people with their wellbeing."),
         ("l-listened-to", "Listened to", "ambition", "Ensuring young people have a say in decisions that are made "
          "around their mental health & wellbeing."),
         ("b-be-kind-to-yourself", "Be kind to yourself", "ambition", "Promoting the importance of self-care in "
          "wellbeing."),
         ("e-empower", "Empower", "ambition", "Allow young people to have their voices heard and be involved in the "
          "strategic decision making."),
         ("i-information", "Information", "ambition", "Raising awareness of the services available and invest in a "
          "digital platform led by young people; for young people, where all information is connected."),
         ("n-needs", "Needs", "ambition", "Meeting the basic human needs of every child in Doncaster to ensure they "
          "feel happy, healthy, safe and supported."),
         ("g-growth", "Growth", "ambition", "To ensure all children and young people have the support they need to "
          "grow, and achieve their full potential"))),
    ("neglect-2022-24", "strategy", "Neglect Strategy 2022-2024", "2022-04-01", "2024-03-31", DSCP,
     "neglect-sub-group", (
        ("graded-care-profile", "Implement the NSPCC Graded Care Profile Tool", "priority", None),
        ("champions", "Introduce Champions against Neglect", "priority", None),
        ("universal-services", "Universal services", "priority", None),
        ("early-help", "Improving our Early Help response to neglect", "priority", None))),
    ("family-hubs", "strategy", "Family Hubs", "2021-04-01", "2023-03-31", COUNCIL, "family-hubs", (
        ("families-accessing", "Increase the number of families accessing Family Hub services post pandemic",
         "priority", None),
        ("young-carers-awareness", "Raise awareness of young carers within other organisations", "priority", None),
        ("core-services", "Develop a core set of services as outlined in the Start for Life and Family Hub Programme",
         "priority", None))),
    (PLAN, "delivery_plan", "Doncaster Safeguarding Children Partnership Delivery Plan 2021-2022", "2021-04-01",
     "2022-03-31", DSCP, "board", ()),
    (NEXT_PLAN, "delivery_plan", "DSCP priorities for 2022-2023", "2022-04-01", "2023-03-31", DSCP, "board", ()),
    (IMPROVEMENT_PLAN, "improvement_plan", "Children's services improvement plan after the February 2022 inspection",
     "2022-03-01", "2023-03-31", COUNCIL, "practice-improvement-board", ()),
)

PIB_AREAS = ("The multi-agency front door", "Early help", "Multi agency front line practice",
             "An intelligence-led performance and quality assurance framework", "Leadership and governance")
# Appendix 1: (number, priority, [(letter, action, owner agency, owner group)], what success will look like, measures)
PRIORITIES = (
    (1, "To work with the Partnership Improvement Board to ensure alignment of work and priorities, and to prepare "
        "for the transition of the Improvement Board's work into the \"business as usual\" of the DSCP by the end "
        "of 2021/2022", (
         ("a", "Actively participate in the work of the Partnership Improvement Board, ensuring effective two-way "
               "communication between the IB and the DSCP", DSCP, "board"),
         ("b", "Schedule regular meetings between the PIB and DSCP Chairs to ensure ongoing alignment", DSCP, "board"),
         ("c", "Keep the DSCP structure and functioning under review to ensure that it is in a position to take "
               "forward the priority improvement work undertaken by the PIB in its 2022/23 Delivery Plan.", DSCP,
          "cosog")),
     "DSCP and Safeguarding Partners will be assured that arrangements are in place to ensure that the improvement "
     "work undertaken by the PIB will be consolidated and taken forward in strengthened partnership arrangements in "
     "the priority areas agreed by the PIB: " + "; ".join(PIB_AREAS), PIB_AREAS),
    (2, "To support and challenge work to deliver a more effective multi-agency response to child exploitation in "
        "Doncaster", (
         ("a", "Agree a revised multi-agency strategic response to exploitation, with a strong focus on community "
               "engagement and early intervention and an action plan to deliver it", DSCP,
          "child-exploitation-sub-group"),
         ("b", "Monitor the delivery of the Exploitation and Missing Action Plan agreed within DCST", TRUST, None),
         ("c", "Establish a task and finish group to review the delivery of the South Yorkshire Police Missing from "
               "Home and Care Protocol 2020 in Doncaster, its impact and any action needed to improve its "
               "effectiveness.", POLICE, None)),
     "There is evidence of strong community engagement in the production and implementation of the strategy. Fewer "
     "young people become involved in exploitation. The DSCP and Safeguarding Partners are assured that there is an "
     "effective response to young people who go missing and are at risk of exploitation. The DSCP and Safeguarding "
     "Partners are assured that the multi-agency response to young people who go missing is having a positive "
     "impact, and that action needed to improve the effectiveness of that response are clearly identified and "
     "actioned.",
     ("There is evidence of strong community engagement in the production and implementation of the strategy",
      "Fewer young people become involved in exploitation",
      "The DSCP and Safeguarding Partners are assured that there is an effective response to young people who go "
      "missing and are at risk of exploitation",
      "The multi-agency response to young people who go missing is having a positive impact")),
    (3, "To support and challenge work to deliver a more effective multi-agency response to child neglect across the "
        "partnership", (
         ("a", "Implement the NSPCC Graded Care Profile across the partnership.", DSCP, "neglect-sub-group"),
         ("b", "Improve the analysis of risk in cases of long-term neglect", DSCP, "lqi-group"),
         ("c", "Ensure full multi-agency participation in the SYP programme to improve the response to neglect",
          POLICE, None),
         ("d", "Identify and act on learning from the SYP analysis of historic child neglect cases", POLICE, None)),
     "100% compliance with use of Graded Care Profile when neglect identified. Audit and Ofsted inspection confirms "
     "improvement in the analysis of risk and the response to neglect. Reduction in referrals involving child neglect "
     "to children's social care. Multi-agency engagement in training offer.",
     ("100% compliance with use of Graded Care Profile when neglect identified",
      "Audit and Ofsted inspection confirms improvement in the analysis of risk and the response to neglect",
      "Reduction in referrals involving child neglect to children's social care",
      "Multi-agency engagement in training offer")),
    (4, "To support and challenge the multi-agency response to mental ill health among children and young people", (
         ("a", "Work with the Mental Health Strategy Group to strengthen multi-agency practice in responding "
               "effectively to mental ill health among children and young people", CCG,
          "mental-health-strategy-group"),),
     "The partnership has a clear and evidence-based understanding of the scale and impact of mental health issues "
     "affecting children and young people in Doncaster, the multi-agency response, and areas for improvement. A local "
     "transformation plan for child and adolescent mental health is in place, with clear milestones and measurable "
     "outcomes.",
     ("A clear and evidence-based understanding of the scale and impact of mental health issues affecting children "
      "and young people in Doncaster",
      "A local transformation plan for child and adolescent mental health is in place, with clear milestones and "
      "measurable outcomes")),
    (5, "To ensure that schools and other education providers are at the centre of the safeguarding partnership", (
         ("a", "Expand DSCP membership by recruiting members from infant, primary, secondary and post-16 educational "
               "sectors.", DSCP, "board"),
         ("b", "Establish termly reporting to DSCP of key safeguarding issues and challenges identified by education "
               "providers", COUNCIL, "education-safeguarding"),
         ("c", "Review outcomes of S157 / S175 audits and support action to address areas for improvement", COUNCIL,
          "education-safeguarding")),
     "Schools and other education providers are confident that their key frontline role in safeguarding is understood "
     "and supported by the wider partnership. The DSCP can evidence effective responses to issues and challenges "
     "raised by partners in the education sector",
     ("Schools and other education providers are confident that their key frontline role in safeguarding is "
      "understood and supported by the wider partnership",
      "The DSCP can evidence effective responses to issues and challenges raised by partners in the education sector")),
    (6, "To ensure the embedding, dissemination, and evaluation of learning from the full range of quality assurance "
        "activity", (
         ("a", "Streamline the reporting of multi-agency performance data to DSCP, ensuring areas for improvement "
               "clearly identified", DSCP, "lqi-group"),
         ("b", "Establish programme of quarterly multi-agency audits of the effectiveness of multi-agency frontline "
               "practice", DSCP, "lqi-group"),
         ("c", "Receive annual reports from statutory partners in health and social care on single-agency audit "
               "activity undertaken, outcomes, and action taken.", DSCP, "lqi-group"),
         ("d", "Develop a plan for ensuring that the DSCP hears, listens to, and acts on the voice of children and "
               "young people", DSCP, "board"),
         ("e", "Engage with and learn from frontline practitioners in order to disseminate and embed learning from "
               "audit, case review, and inspection activity.", DSCP, "lqi-group")),
     "The DSCP can evidence that it has a clear line of sight into frontline practice. There is evidence of continuing "
     "improvement as an outcome of performance monitoring, audit, and engagement activity. Both practitioners and "
     "young people confirm that they feel their voice is consistently heard, listened to, and acted on by the DSCP",
     ("The DSCP can evidence that it has a clear line of sight into frontline practice",
      "There is evidence of continuing improvement as an outcome of performance monitoring, audit, and engagement "
      "activity",
      "Both practitioners and young people confirm that they feel their voice is consistently heard, listened to, "
      "and acted on by the DSCP")),
    (7, "To ensure effective multi-agency safeguarding response in the recovery phase of COVID 19 pandemic", (
         ("a", "Identify the ongoing risks and challenges from the impact of the pandemic, and monitor and support "
               "multi-agency planning to address them", DSCP, "cosog"),),
     "The DSCP and Safeguarding Partners are assured that effective plans for the recovery phase are in place and "
     "effectively delivered",
     ("The DSCP and Safeguarding Partners are assured that effective plans for the recovery phase are in place and "
      "effectively delivered",)),
    (8, "To ensure that multi-agency policies and procedures are kept under review, commissioning work required as a "
        "consequence, and effectively scrutinising proposed new multi-agency policies and procedures.", (
         ("a", "Agree a revised Multi-Agency Threshold Document, and review impact by the end of 2021/22", DSCP,
          "policy-procedure-sub-group"),
         ("b", "Review all existing DSCP policies and procedures, and agree schedule for any necessary revision", DSCP,
          "policy-procedure-sub-group")),
     "Safeguarding Partners are assured that multi-agency safeguarding policies and procedures are comprehensive, up "
     "to date, and regularly reviewed",
     ("Safeguarding Partners are assured that multi-agency safeguarding policies and procedures are comprehensive, up "
      "to date, and regularly reviewed",)),
)

NEXT_PRIORITIES = (
    "To support and challenge work to deliver a more effective multi-agency response to child exploitation in "
    "Doncaster",
    "To support and challenge work to deliver a more effective multi-agency response to child neglect across the "
    "partnership",
    "To ensure that schools and other education providers are at the centre of the safeguarding partnership",
    "To ensure the embedding, dissemination, and evaluation of learning from the full range of quality assurance "
    "activity",
    "To ensure that multi-agency policies and procedures are kept under review, commissioning any work required as a "
    "consequence, and effectively scrutinising proposed new multi-agency policies and procedures",
    "To align DSCP governance, process and practice to capture impact for children, young people and families",
)

# the nine areas for improvement, as printed; (title, improvement plan owner, delivery-plan actions linked)
OFSTED_AREAS = (
    ("The scrutiny arrangements between senior leaders of the council and the Children's Services Trust.", COUNCIL, ()),
    ("The impact of leaders and managers in driving progress for all children.", COUNCIL, ("priority-1-a",)),
    ("A shared understanding and application of child-in-need and child-protection thresholds across agencies.",
     TRUST, ("priority-8-a",)),
    ("The quality and accuracy of children's records and performance information.", TRUST, ("priority-6-a",)),
    ("The quality and impact of supervision and management oversight.", TRUST, ()),
    ("The quality and analysis of assessments.", TRUST, ("priority-3-b",)),
    ("The timeliness and oversight of placement with parent and connected persons arrangements.", TRUST, ()),
    ("The quality of placement matching.", TRUST, ()),
    ("The quality and timeliness of achieving permanence.", TRUST, ()),
)
INSPECTION, INSPECTED_ON = "ofsted-ilacs-2022-02", "2022-02-18"


def _evidence(kind: str, ref: str, title: str) -> list[dict]:
    return [{"kind": kind, "ref": ref, "title": title}]


# what happened to the delivery plan's actions: action -> [(step, day, reporting agency, extra data)]
LIFECYCLE: dict[str, list[tuple]] = {
    "priority-1-a": [("started", "2021-10-01", DSCP, {}),
                     ("progress_reported", "2022-01-20", DSCP, {"assessment": "on_track",
                      "note": "DSCP members sit on the Partnership Improvement Board; reports both ways each meeting.",
                      "evidence": _evidence("minutes", "pib-minutes-2022-01", "PIB minutes, January 2022")})],
    "priority-1-b": [("started", "2021-10-01", DSCP, {}),
                     ("progress_reported", "2022-02-15", DSCP, {"assessment": "on_track",
                      "note": "Chairs meet monthly.",
                      "evidence": _evidence("minutes", "chairs-meeting-2022-02", "PIB and DSCP chairs, February")})],
    "priority-1-c": [("started", "2021-10-01", DSCP, {}),
                     ("completed", "2022-03-10", DSCP, {"note": "A new structure was agreed by the Partnership.",
                      "evidence": _evidence("document", "dscp-structure-2022", "DSCP structure (Appendix 2)")})],
    "priority-2-a": [("started", "2021-10-01", DSCP, {}),
                     ("completed", "2021-12-09", DSCP, {"note": "The Board approved the child exploitation strategy.",
                      "evidence": _evidence("minutes", "board-minutes-2021-12", "DSCP Board, December 2021")})],
    "priority-2-b": [("started", "2021-10-01", TRUST, {}),
                     ("progress_reported", "2022-03-01", TRUST, {"assessment": "on_track",
                      "note": "The exploitation team's performance scorecard is maintained and reviewed.",
                      "evidence": _evidence("report", "dcst-exploitation-scorecard-2022-02",
                                            "Exploitation team scorecard")})],
    "priority-2-c": [("started", "2021-11-15", POLICE, {}),
                     ("progress_reported", "2022-02-28", POLICE, {"assessment": "on_track",
                      "note": "Task and finish group meeting; review of the protocol under way."})],
    "priority-3-a": [("started", "2022-03-01", DSCP, {}),
                     ("progress_reported", "2022-03-25", DSCP, {"assessment": "on_track",
                      "note": "Graded Care Profile 2 adopted in the Neglect Strategy 2022-24; licences and training "
                              "being arranged.", "evidence": _evidence("document", "neglect-strategy-2022-24",
                                                                       "Neglect Strategy 2022-2024")})],
    "priority-3-b": [("started", "2021-11-01", DSCP, {}),
                     ("progress_reported", "2022-03-15", DSCP, {"assessment": "at_risk",
                      "note": "The inspection found the analysis of assessments needs improving.",
                      "evidence": _evidence("report", "ofsted-ilacs-2022-02", "Ofsted inspection, February 2022")})],
    "priority-3-c": [("started", "2021-09-01", POLICE, {}),
                     ("progress_reported", "2022-03-20", POLICE, {"assessment": "on_track",
                      "note": "Child Matters: 81 sessions, 4,600 attendees, open to multi-agency partners.",
                      "evidence": _evidence("report", "child-matters-2022-03", "Child Matters programme report")})],
    "priority-3-d": [("deferred", "2022-03-15", POLICE, {"reason": "The analysis of historic neglect cases moves to "
                                                                   "the 2022-23 plan."})],
    "priority-4-a": [("started", "2021-10-01", CCG, {}),
                     ("completed", "2022-03-17", CCG, {"note": "The Board discussed the Mental Health and Wellbeing "
                                                               "Strategy 2022-25, approved by the Health and "
                                                               "Wellbeing Board.",
                      "evidence": _evidence("minutes", "board-minutes-2022-03", "DSCP Board, March 2022")})],
    "priority-5-a": [("started", "2021-10-01", DSCP, {}),
                     ("progress_reported", "2022-02-01", DSCP, {"assessment": "on_track",
                      "note": "Recruiting members from each education sector."})],
    "priority-5-b": [("started", "2022-01-10", COUNCIL, {}),
                     ("progress_reported", "2022-03-30", COUNCIL, {"assessment": "on_track",
                      "note": "Spring term report to the DSCP.",
                      "evidence": _evidence("report", "education-termly-2022-spring", "Education termly report")})],
    "priority-6-a": [("started", "2021-10-01", DSCP, {}),
                     ("progress_reported", "2022-02-10", DSCP, {"assessment": "on_track",
                      "note": "Multi-agency dataset being drafted."})],
    "priority-6-b": [("started", "2021-10-01", DSCP, {}),
                     ("progress_reported", "2022-03-15", DSCP, {"assessment": "on_track",
                      "note": "The LQI group's planned multi-agency audit programme.",
                      "evidence": _evidence("audit", "maca-2022-q1", "Multi-agency case file audit, Q1 2022")})],
    "priority-6-d": [("started", "2021-10-01", DSCP, {}),
                     ("completed", "2022-02-28", DSCP, {"note": "Youth Council and Hear Me voice groups engaged; the "
                                                                "voice of the child built into every case file audit.",
                      "evidence": _evidence("document", "voice-of-the-child-plan", "Voice of the child plan")})],
    "priority-6-e": [("started", "2021-11-01", DSCP, {}),
                     ("progress_reported", "2022-03-01", DSCP, {"assessment": "on_track",
                      "note": "Practitioner events after the rapid reviews.",
                      "evidence": _evidence("document", "practitioner-events-2022", "Practitioner events")})],
    "priority-7-a": [("started", "2021-10-01", DSCP, {}),
                     ("completed", "2022-03-24", DSCP, {"note": "Recovery risks reviewed by COSOG.",
                      "evidence": _evidence("minutes", "cosog-minutes-2022-03", "COSOG, March 2022")})],
    "priority-8-a": [("started", "2021-10-01", DSCP, {}),
                     ("completed", "2022-03-01", DSCP, {"note": "Doncaster Multi-agency Threshold Guidance and Levels "
                                                                "of Need updated.",
                      "evidence": _evidence("document", "threshold-guidance-2022", "Threshold Guidance")})],
    "priority-8-b": [("started", "2021-10-01", DSCP, {}),
                     ("progress_reported", "2022-03-20", DSCP, {"assessment": "on_track",
                      "note": "Procedures updated this period; review schedule agreed by the sub group.",
                      "evidence": _evidence("document", "trix-procedures-2022", "Tri.x procedures updates")})],
}
IMPROVEMENT_DUE = "2022-09-30"

# the Family Hub KPIs, defined and valued by the council: (id, definition fields, [(period, value fields)])
FAMILY_HUB_KPIS = (
    ("family-hub-members-0-5", {
        "title": "Children aged 0-5 who are members of a Family Hub", "numerator": "Children aged 0-5 registered "
        "with a Family Hub", "denominator": "Children aged 0-5 living in Doncaster", "unit": "percent",
        "period_type": "year", "trajectory": "target_only"},
     [("2021-22", {"numerator": 16_400, "denominator": 20_000})]),
    ("two-year-old-funded-take-up", {
        "title": "Children eligible for 2 year old funding who took up their places", "numerator": "Eligible "
        "2-year-olds in a funded place", "denominator": "Children eligible for 2 year old funding", "unit": "percent",
        "period_type": "year", "trajectory": "target_only"},
     [("2021-22", {"numerator": 1_176, "denominator": 1_400})]),
    ("parent-engagement-families", {
        "title": "Families in direct work with the parent engagement workers", "numerator": "Families",
        "unit": "count", "period_type": "year", "trajectory": "target_only"},
     [("2021-22", {"value": 111})]),
    ("young-carers-supported", {
        "title": "Young carers supported by the young carers team", "numerator": "Young carers supported",
        "unit": "count", "period_type": "year", "trajectory": "target_only"},
     [("2021-22", {"value": 225})]),
    ("family-hub-members-0-2", {
        "title": "Children aged 0-2 who are members of a Family Hub", "numerator": "Children aged 0-2 registered "
        "with a Family Hub", "denominator": "Children aged 0-2 living in Doncaster", "unit": "percent",
        "period_type": "quarter", "trajectory": "linear", "baseline": {"value": 68, "on": "2022-03-31"},
        "target": {"value": 75, "on": "2023-03-31"}}, []),
    ("families-accessing", {
        "title": "Families accessing Family Hub services", "numerator": "Families with a child aged 0-19 using a "
        "Family Hub service", "denominator": "Families with a child aged 0-19 in Doncaster", "unit": "percent",
        "period_type": "quarter", "trajectory": "linear", "baseline": {"value": 62, "on": "2022-03-31"},
        "target": {"value": 70, "on": "2023-03-31"}}, []),
    ("young-carers", {
        "title": "Young carers known to the young carers team", "numerator": "Young carers", "unit": "count",
        "period_type": "quarter", "trajectory": "rate_per_period", "rate_per_period": 4.5,
        "baseline": {"value": 225, "on": "2022-03-31"}}, []),
)
GCP_KPI = ("gcp-compliance", {
    "title": "Graded Care Profile used when neglect is identified", "priority_id": "priority-3",
    "numerator": "Cases where neglect was identified with a Graded Care Profile 2 assessment",
    "denominator": "Cases where neglect was identified", "unit": "percent", "period_type": "quarter",
    "trajectory": "target_only", "target": {"value": 100, "on": "2022-06-30"}, "reporting_from": "2022-Q2"})

AS_OF = "2022-03-31"
# what the read model must show once the sample is loaded, at 31 March 2022 (checked by tests and `python -m sample`)
EXPECTED: dict = {
    "as_of": AS_OF,
    "strategies": sorted(["domestic-abuse-2021-24", "child-exploitation-strategy", "mental-health-wellbeing-2022-25",
                          "neglect-2022-24", "family-hubs", PLAN, NEXT_PLAN, IMPROVEMENT_PLAN]),
    "wellbeing_ambitions": 9,
    "child_exploitation_enablers": 5,
    "delivery_plan": {"priorities": 8, "actions": 22,
                      "counts": {"overdue": 0, "at_risk": 1, "not_started": 2, "on_track": 12, "complete_late": 0,
                                 "complete_on_time": 6, "deferred": 1, "total": 22, "green_without_evidence": 3}},
    "next_year_priorities": 6,
    "ofsted_areas": 9,
    "ofsted_progress": {"on_track": 2, "at_risk": 2, "not_started": 5},
    "family_hubs": {"family-hub-members-0-5": 82.0, "two-year-old-funded-take-up": 84.0,
                    "parent-engagement-families": 111, "young-carers-supported": 225},
    "family_hub_targets": {"family-hub-members-0-2": 75, "families-accessing": 70},
    "young_carers_rate_per_quarter": 4.5,
}


def _time(day: str) -> datetime:
    """A fact is recorded at noon UTC on the day it happened."""
    return datetime.fromisoformat(f"{day}T12:00:00+00:00").astimezone(timezone.utc)


class _Emitter:
    """Builds the events in order, each with a uuid5 id named for its content's place in the sample."""

    def __init__(self) -> None:
        self.events: list[Envelope] = []

    def __call__(self, type_name: str, agency: str, day: str, name: str, **data) -> None:
        self.events.append(new_event(f"strategy.{type_name}.v1", data, partnership=PARTNERSHIP, agency=agency,
                                     source=SOURCES[agency], time=_time(day)))
        self.events[-1] = self.events[-1].model_copy(update={"id": str(uuid.uuid5(NAMESPACE, f"{type_name}/{name}"))})


def _strategies(emit: _Emitter, owner_agency: str) -> None:
    for sid, kind, title, starts, ends, owner, group, themes in STRATEGIES:
        if owner != owner_agency:
            continue
        day = {"child-exploitation-strategy": "2021-12-09", "mental-health-wellbeing-2022-25": "2022-03-17",
               "neglect-2022-24": "2022-03-17", IMPROVEMENT_PLAN: "2022-03-14", NEXT_PLAN: "2022-03-17"}.get(sid,
                                                                                                           "2021-10-01")
        emit("strategy.published", owner, day, sid, strategy_id=sid, kind=kind, title=title, starts_on=starts,
             ends_on=ends, owner_agency=owner, owner_group=group,
             themes=[{"code": c, "title": t, "kind": k, **({"description": d} if d else {})} for c, t, k, d in themes])


def _delivery_plan(emit: _Emitter) -> None:
    for number, title, actions, success, measures in PRIORITIES:
        pid = f"priority-{number}"
        emit("priority.published", DSCP, "2021-10-01", pid, priority_id=pid, strategy_id=PLAN, number=number,
             title=title, success=success, success_measures=list(measures))
        for letter, action, owner, group in actions:
            aid = f"{pid}-{letter}"
            emit("action.planned", DSCP, "2021-10-01", aid, action_id=aid, priority_id=pid, letter=letter,
                 title=action, owner_agency=owner, owner_group=group, due_on=PLAN_DUE,
                 kpi_ids=["gcp-compliance"] if aid == "priority-3-a" else [])
    for number, title in enumerate(NEXT_PRIORITIES, 1):
        pid = f"priority-2022-23-{number}"
        emit("priority.published", DSCP, "2022-03-17", pid, priority_id=pid, strategy_id=NEXT_PLAN, number=number,
             title=title)


def _steps(emit: _Emitter, agency: str) -> None:
    """The lifecycle steps an agency's system reports, in date order."""
    field = {"started": "started_on", "progress_reported": "reported_on", "completed": "completed_on",
             "deferred": "deferred_on"}
    for action_id, steps in LIFECYCLE.items():
        for n, (step, day, reporter, extra) in enumerate(steps):
            if reporter == agency:
                emit(f"action.{step}", agency, day, f"{action_id}/{n}", action_id=action_id, **{field[step]: day},
                     **extra)


def _council(emit: _Emitter) -> None:
    """The council's facts: the improvement plan and Ofsted areas, the Family Hub KPIs and their values."""
    emit("priority.published", COUNCIL, "2022-03-14", "improvement-2022", priority_id="improvement-2022",
         strategy_id=IMPROVEMENT_PLAN, number=1, title="Address the areas for improvement of the February 2022 "
         "inspection of Doncaster children's services",
         success="Each area for improvement is addressed; the Practice Improvement Board is assured of the impact.")
    for number, (title, owner, _) in enumerate(OFSTED_AREAS, 1):
        letter = "abcdefghi"[number - 1]
        emit("action.planned", COUNCIL, "2022-03-14", f"improvement-2022-{letter}",
             action_id=f"improvement-2022-{letter}", priority_id="improvement-2022", letter=letter,
             title=f"Improve: {title}"[:500], owner_agency=owner, owner_group="practice-improvement-board",
             due_on=IMPROVEMENT_DUE)
    for kpi_id, definition, _ in FAMILY_HUB_KPIS:
        emit("kpi.defined", COUNCIL, "2021-10-01", kpi_id, kpi_id=kpi_id, strategy_id="family-hubs", **definition)
    for number, (title, _, linked) in enumerate(OFSTED_AREAS, 1):
        letter = "abcdefghi"[number - 1]
        area = f"ofsted-2022-{number}"
        emit("ofsted_area.identified", COUNCIL, "2022-03-14", area, area_id=area, inspection=INSPECTION,
             inspected_on=INSPECTED_ON, number=number, title=title,
             action_ids=[f"improvement-2022-{letter}", *linked])
    for kpi_id, _, values in FAMILY_HUB_KPIS:
        for period, figure in values:
            emit("kpi_value.recorded", COUNCIL, "2022-03-31", f"{kpi_id}/{period}", kpi_id=kpi_id, period=period,
                 source="Family Hub records, City of Doncaster Council", **figure)
    _steps(emit, COUNCIL)


def events() -> list[Envelope]:
    """Every sample strategy event, in the order the owners' systems would send them: the DSCP's plan first,
    then the council's strategies, improvement plan and measures, then each partner's reports on its actions."""
    emit = _Emitter()
    _strategies(emit, DSCP)
    _delivery_plan(emit)
    kpi_id, definition = GCP_KPI
    emit("kpi.defined", DSCP, "2022-03-17", kpi_id, kpi_id=kpi_id, **definition)
    _steps(emit, DSCP)
    _strategies(emit, COUNCIL)
    _council(emit)
    for agency in (TRUST, POLICE, CCG):
        _steps(emit, agency)
    return emit.events


def summary(figures) -> list[str] | None:
    """Lines for `python -m sample` to print once the read model shows the sample, or None while it does not yet.
    `figures(path)` answers a reporting JSON endpoint under /p/doncaster/api/, e.g. figures("strategy/...")."""
    shown = observed(figures)
    if shown != EXPECTED:
        return None
    counts = shown["delivery_plan"]["counts"]
    hubs = shown["family_hubs"]
    return [
        f"Strategy: {len(shown['strategies'])} strategies and plans; the delivery plan's "
        f"{shown['delivery_plan']['priorities']} "
        f"priorities and {counts['total']} actions at {AS_OF}: {counts['complete_on_time']} complete, "
        f"{counts['on_track']} on track ({counts['green_without_evidence']} green without evidence), "
        f"{counts['at_risk']} at risk, {counts['overdue']} overdue, {counts['deferred']} deferred.",
        f"Family Hubs 2021-22: {hubs['family-hub-members-0-5']:g}% of children aged 0-5 are members, "
        f"{hubs['two-year-old-funded-take-up']:g}% took up 2-year-old funding, {hubs['parent-engagement-families']:g} "
        f"families, {hubs['young-carers-supported']:g} young carers; {shown['ofsted_areas']} Ofsted areas tracked.",
        f"  Strategy figures: /p/doncaster/api/strategy/scorecard?as_of={AS_OF}  .../strategy/kpis  "
        ".../strategy/actions/attention  .../strategy/ofsted",
    ]


def observed(figures) -> dict:
    """The EXPECTED figures as the read model's JSON shows them at AS_OF."""
    card = figures(f"strategy/scorecard?as_of={AS_OF}")["strategies"]
    by_id = {s["strategy_id"]: s for s in card}
    plan = by_id.get(PLAN, {"priorities": [], "counts": {}})
    kpis = {k["kpi_id"]: k for k in figures(f"strategy/kpis?as_of={AS_OF}")["kpis"]}
    areas = figures(f"strategy/ofsted?as_of={AS_OF}")["areas"]
    progress: dict[str, int] = {}
    for area in areas:
        progress[area["progress"]] = progress.get(area["progress"], 0) + 1
    themes = lambda sid, kind: sum(t["kind"] == kind for t in by_id.get(sid, {}).get("themes") or [])  # noqa: E731
    return {
        "as_of": AS_OF,
        "strategies": sorted(s["strategy_id"] for s in card),
        "wellbeing_ambitions": themes("mental-health-wellbeing-2022-25", "ambition"),
        "child_exploitation_enablers": themes("child-exploitation-strategy", "enabler"),
        "delivery_plan": {"priorities": len(plan["priorities"]), "actions": plan["counts"].get("total", 0),
                          "counts": plan["counts"]},
        "next_year_priorities": len(by_id.get(NEXT_PLAN, {}).get("priorities", [])),
        "ofsted_areas": len(areas),
        "ofsted_progress": progress,
        "family_hubs": {k: (kpis[k]["latest"] or {}).get("value") if k in kpis else None
                        for k in EXPECTED["family_hubs"]},
        "family_hub_targets": {k: (kpis[k]["target"] or {}).get("value") if k in kpis else None
                               for k in EXPECTED["family_hub_targets"]},
        "young_carers_rate_per_quarter": kpis.get("young-carers", {}).get("rate_per_period"),
    }
