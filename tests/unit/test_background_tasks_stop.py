"""An app's shutdown stops its background tasks even when a cancellation is lost (issue 14, part 7).

On Python 3.11 `asyncio.wait_for` returns its result and drops a cancellation that arrives as its wait ends, and
libraries use it (pymongo's socket writes, aiokafka). An outbox relay cancelled just then ran on, and its app's
shutdown waited for it for ever: `stop the reviews app took over 60 s`, once in a few full runs. The shutdown now
cancels again until every task has ended.
"""

import asyncio

from shared.http.app import cancel_and_wait


async def test_a_task_that_loses_its_first_cancellation_is_cancelled_again_and_stops():
    reached_second_wait = asyncio.Event()

    async def relay_that_lost_a_cancellation():
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            pass  # dropped, as Python 3.11's wait_for drops it
        reached_second_wait.set()
        await asyncio.sleep(3600)  # and it runs on, waiting to be woken

    task = asyncio.create_task(relay_that_lost_a_cancellation())
    await asyncio.sleep(0)
    await asyncio.wait_for(cancel_and_wait([task], every_s=0.01), timeout=30)  # a bound on a hang, not a timing
    assert reached_second_wait.is_set() and task.cancelled()


async def test_tasks_already_done_or_failed_are_waited_for_without_raising():
    async def fails():
        raise RuntimeError("the broker went away")

    failed, done = asyncio.create_task(fails()), asyncio.create_task(asyncio.sleep(0))
    await asyncio.sleep(0.01)
    await cancel_and_wait([failed, done])
    assert failed.done() and done.done()
