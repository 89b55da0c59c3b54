"""A contract that changed version, through the real servers: a partner still on v1 of a rapid review's outcome and
one already on v2 are both accepted and both counted, as v2; what Kafka holds stays as each was sent; and an event of
a version newer than the code knows is refused at ingest and, met on the topic, dead-lettered with the reason."""

import json
from datetime import datetime, timezone

from aiokafka import AIOKafkaProducer

from shared.events.envelope import new_event
from shared.kafka import dlq
from shared.read import entities
from tests.harness import eventually

COUNCIL, DSCP = "doncaster-council", "dscp"
V1, V2 = "reviews.rapid_review.completed.v1", "reviews.rapid_review.completed.v2"


def event(type_name, at, agency=COUNCIL, **data):
    return new_event(type_name, data, partnership="doncaster", agency=agency, source=f"/partners/{agency}/reviews",
                     time=datetime.fromisoformat(at).replace(tzinfo=timezone.utc))


def two_rapid_reviews():
    council = [event("reviews.serious_incident.recorded.v1", "2022-01-04T12:00:00Z", incident_id=f"si-{n}",
                     case_ref=f"case-00004{n}", aware_on="2022-01-04") for n in (1, 2)]
    dscp = [event("reviews.rapid_review.started.v1", "2022-01-06T12:00:00Z", DSCP, review_id=f"rr-{n}",
                  incident_id=f"si-{n}", started_on="2022-01-06") for n in (1, 2)]
    dscp.append(event(V1, "2022-01-20T12:00:00Z", DSCP, review_id="rr-1", completed_on="2022-01-20",
                      practice_review_recommended=False, learning_found=True, outcome="Learning on neglect.",
                      themes=["neglect"]))
    dscp.append(event(V2, "2022-01-21T12:00:00Z", DSCP, review_id="rr-2", completed_on="2022-01-21",
                      practice_review_recommended=True, outcome="Escalation was not used.", themes=["neglect"],
                      learning=[{"theme": "information_sharing", "summary": "Health did not hear of the police "
                                 "visits.", "agencies": ["south-yorkshire-police", "doncaster-and-bassetlaw-nhs"]},
                                {"theme": "professional_curiosity"}]))
    return council, dscp


async def test_v1_and_v2_of_a_rapid_reviews_outcome_are_both_counted_as_v2(stack):
    council, dscp = two_rapid_reviews()
    for events, agency in ((council, COUNCIL), (dscp, DSCP)):
        response = await stack.post(events, await stack.key(agency, ("reviews.*",)), service="reviews")
        assert response.status_code == 202, response.text
    await stack.start_projector()
    await eventually(stack.caught_up)

    cases = await stack.figures("reviews/cases", as_of="2022-03-31")
    reviews = {r["review_id"]: r for r in cases["rapid_reviews"]}
    assert reviews["rr-1"]["learning_found"] is True  # v1 said only that: one point, nothing said of it
    assert reviews["rr-1"]["learning"] == [{"theme": None, "summary": None, "agencies": []}]
    assert reviews["rr-2"]["learning_found"] is True and [p["theme"] for p in reviews["rr-2"]["learning"]] == [
        "information_sharing", "professional_curiosity"]
    assert reviews["rr-2"]["learning"][0]["agencies"] == ["south-yorkshire-police", "doncaster-and-bassetlaw-nhs"]
    assert cases["counts"]["rapid_reviews_with_learning"] == 2

    # the events stay as sent, each in its own version; the read model keeps both as v2, saying what was sent
    records = await stack.read_topic(f"{stack.prefix}reviews.events", expect=len(council) + len(dscp))
    sent = {json.loads(r.value)["data"].get("review_id"): json.loads(r.value)["type"] for r in records
            if "rapid_review.completed" in json.loads(r.value)["type"]}
    assert sent == {"rr-1": V1, "rr-2": V2}
    kept = entities.records_of(await stack.read_model["reviews_rapid_reviews"].find({}).to_list(None))
    completions = [r for r in kept if "completed" in r["type"]]
    assert {(r["type"], r.get("sent_as")) for r in completions} == {(V2, V1), (V2, None)}


async def test_a_version_newer_than_the_code_knows_is_refused_at_ingest_and_dead_lettered_on_the_topic(stack):
    key = await stack.key(DSCP, ("reviews.*",))
    v3 = event("reviews.rapid_review.completed.v3", "2022-01-20T12:00:00Z", DSCP, review_id="rr-9",
               completed_on="2022-01-20", practice_review_recommended=False, outcome="Nothing new.")
    refused = await stack.post([v3], key, service="reviews")
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["loc"] == ["body", 0, "type"] and error["type"] == "newer_version"
    assert "newest version of reviews.rapid_review.completed is v2" in error["msg"]

    # a newer writer published it before this reader was upgraded: it is put aside with why, and the rest go on
    producer = AIOKafkaProducer(bootstrap_servers=stack.kafka)
    await producer.start()
    try:
        await producer.send_and_wait(f"{stack.prefix}reviews.events", v3.to_json(), key=b"rr-9")
    finally:
        await producer.stop()
    await stack.start_projector()
    dead = await eventually(lambda: dlq.read(stack.kafka, f"{stack.prefix}reviews.events.dlq", 10))
    [letter] = dead
    assert letter["reason"].startswith("reviews.rapid_review.completed.v3 is a newer version than this code knows")
    assert "upgrade this consumer, then send its dead letters back" in letter["reason"]


async def test_the_catalogue_serves_both_versions_and_says_which_is_current(stack):
    old = (await stack.reviews.get(f"/schemas/{V1}.json")).json()
    new = (await stack.reviews.get(f"/schemas/{V2}.json")).json()
    assert old["deprecated"] is True and "deprecated" not in new
    assert "learning_found" in old["properties"] and "learning" in new["properties"]
    components = (await stack.reviews.get("/openapi.json")).json()["components"]["schemas"]
    assert components["ReviewsRapidReviewCompletedV1"]["deprecated"] is True
    assert "deprecated" not in components["ReviewsRapidReviewCompletedV2"]
