"""The sample's agencies: every agency code its events use (as emitter, owner, attendee's employer, audit
participant), with the display name the pages show and its kind. `python -m sample` registers them, as an admin
would with `python -m shared.auth add-agency`. An agency listing no partnerships is a member of any.
"""

from __future__ import annotations

AGENCIES: list[dict] = [
    # the partnerships' own business units and training teams
    {"code": "dscp", "name": "Doncaster Safeguarding Children Partnership (business unit)", "kind": "partnership",
     "partnerships": ["doncaster"]},
    {"code": "dscp-training", "name": "Doncaster Safeguarding Children Partnership training team",
     "kind": "partnership", "partnerships": ["doncaster"]},
    {"code": "rscp-training", "name": "Rotherham Safeguarding Children Partnership training team",
     "kind": "partnership", "partnerships": ["rotherham"]},
    # the safeguarding partners: the councils (with the Trust delivering Doncaster's children's social care), the
    # police and the NHS (the CCG until the integrated care board took over its duties in July 2022)
    {"code": "doncaster-council", "name": "City of Doncaster Council", "kind": "council",
     "partnerships": ["doncaster"]},
    {"code": "doncaster-childrens-services-trust", "name": "Doncaster Children's Services Trust", "kind": "council",
     "partnerships": ["doncaster"]},
    {"code": "rotherham-council", "name": "Rotherham Metropolitan Borough Council", "kind": "council",
     "partnerships": ["rotherham"]},
    {"code": "south-yorkshire-police", "name": "South Yorkshire Police", "kind": "police",
     "partnerships": ["doncaster", "rotherham"]},
    {"code": "nhs-doncaster-ccg", "name": "NHS Doncaster CCG", "kind": "icb", "partnerships": ["doncaster"]},
    {"code": "nhs-south-yorkshire-icb", "name": "NHS South Yorkshire Integrated Care Board", "kind": "icb",
     "partnerships": ["doncaster", "rotherham"]},
    # health providers
    {"code": "doncaster-bassetlaw-teaching-hospitals",
     "name": "Doncaster and Bassetlaw Teaching Hospitals NHS Foundation Trust", "kind": "health",
     "partnerships": ["doncaster"]},
    {"code": "rotherham-doncaster-south-humber-nhs-ft",
     "name": "Rotherham Doncaster and South Humber NHS Foundation Trust", "kind": "health",
     "partnerships": ["doncaster", "rotherham"]},
    # education and childcare, and the voluntary sector: each area's many settings, counted together
    {"code": "schools", "name": "Schools and colleges", "kind": "education", "partnerships": []},
    {"code": "early-years", "name": "Early years and childcare settings", "kind": "education", "partnerships": []},
    {"code": "voluntary-sector", "name": "Voluntary and community sector", "kind": "voluntary", "partnerships": []},
]
