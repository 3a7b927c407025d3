"""Timers as Camunda runs them: dates, durations, cycles (ISO 8601 and cron), from expressions.

Upstream: engine/src/test/java/org/camunda/bpm/engine/test/bpmn/event/timer (StartTimerEventTest,
BoundaryTimerEventTest, BoundaryTimerNonInterruptingEventTest, IntermediateTimerEventTest) and
Camunda 8's zeebe/engine/src/test/java/io/camunda/zeebe/engine/processing/bpmn/event/timer
(TimerStartEventTest, TimerCatchEventTest, BoundaryEventTest).

Camunda's tests execute a timer job directly (``managementService.executeJob``) or move the clock
past the due date; here the clock moves to the due instant exactly, where Camunda's job executor
fires too. Camunda counts jobs: here the store's timer table (:func:`timers`).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conformance.harness import EPOCH, Engine, Run, camunda7, flows, script, user, zeebe

HOUR = dt.timedelta(hours=1)
FAR = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def timer(kind: str, text: str) -> str:
    """A timer event definition: ``kind`` is timeDate, timeDuration or timeCycle."""
    return (
        f"<bpmn:timerEventDefinition><bpmn:{kind}>{text}</bpmn:{kind}></bpmn:timerEventDefinition>"
    )


def boundary(eid: str, on: str, kind: str, text: str, *, cancel: bool = True) -> str:
    """A timer boundary event on ``on`` (interrupting unless ``cancel=False``)."""
    flag = "true" if cancel else "false"
    return (
        f'<bpmn:boundaryEvent id="{eid}" attachedToRef="{on}" cancelActivity="{flag}">'
        f"{timer(kind, text)}</bpmn:boundaryEvent>"
    )


def timer_start(kind: str, text: str, eid: str = "s") -> str:
    return f'<bpmn:startEvent id="{eid}">{timer(kind, text)}</bpmn:startEvent>'


def catch(eid: str, kind: str, text: str) -> str:
    return (
        f'<bpmn:intermediateCatchEvent id="{eid}">{timer(kind, text)}</bpmn:intermediateCatchEvent>'
    )


def event_subprocess(eid: str, kind: str, text: str, inner: str, *, interrupting: bool) -> str:
    """An event subprocess started by a timer, running ``inner`` (drawn after its start)."""
    flag = "true" if interrupting else "false"
    return (
        f'<bpmn:subProcess id="{eid}" triggeredByEvent="true">'
        f'<bpmn:startEvent id="{eid}_start" isInterrupting="{flag}">{timer(kind, text)}'
        f"</bpmn:startEvent>{inner}</bpmn:subProcess>"
    )


def timers(engine: Engine, run: Run | None = None) -> list[str]:
    """Element ids of the timers scheduled (Camunda's timer jobs), of one instance or all."""
    rows = engine.store.due_timers(FAR, 10_000)
    return sorted(t.element_id for t in rows if run is None or t.instance_id == run.id)


def started(engine: Engine, process_id: str, start: str = "s") -> list[Run]:
    """Instances that started (past their start event): Camunda's process instance query.

    seamline keeps a start timer's schedule as an instance waiting at the start event; Camunda
    keeps it as a job, so such an instance is no process instance yet.
    """
    return [
        run
        for run in engine.instances(process_id)
        if run.waiting() != [(start, "timer")] and run.status.value != "cancelled"
    ]


# -- timer start events ------------------------------------------------------------------------


def test_duration_start_timer_starts_one_instance(engine: Engine) -> None:
    """StartTimerEventTest.testDurationStartTimerEvent: a PT50M start timer is one job; 50 min
    later one instance runs and no job is left."""
    engine.deploy(camunda7("p", timer_start("timeDuration", "PT50M") + user("u") + flows("s->u")))
    assert timers(engine) == ["s"] and started(engine, "p") == []
    engine.advance(minutes=50)
    runs = started(engine, "p")
    assert len(runs) == 1 and runs[0].open_tasks() == ["u"]
    assert timers(engine) == []


def test_fixed_date_start_timer_starts_one_instance(engine: Engine) -> None:
    """StartTimerEventTest.testFixedDateStartTimerEvent: a timeDate start timer fires once."""
    engine.deploy(
        camunda7("p", timer_start("timeDate", "2036-11-14T11:12:22Z") + user("u") + flows("s->u"))
    )
    assert timers(engine) == ["s"]
    engine.advance_to(dt.datetime(2036, 11, 15, 11, 12, 30, tzinfo=dt.UTC))
    assert len(started(engine, "p")) == 1
    assert timers(engine) == []


def test_expression_start_timer(engine: Engine) -> None:
    """StartTimerEventTest.testExpressionStartTimerEvent: ``${'2036-11-14T11:12:22'}`` is the
    start date (a JUEL string literal)."""
    engine.deploy(
        camunda7(
            "p",
            timer_start("timeDate", "${'2036-11-14T11:12:22+00:00'}") + user("u") + flows("s->u"),
        )
    )
    assert timers(engine) == ["s"]
    engine.advance_to(dt.datetime(2036, 11, 14, 11, 12, 22, tzinfo=dt.UTC))
    assert len(started(engine, "p")) == 1
    assert timers(engine) == []


def test_cycle_with_limit_starts_one_instance_per_firing(engine: Engine) -> None:
    """StartTimerEventTest.testCycleWithLimitStartTimerEvent: ``R2/PT5M`` starts one new instance
    at each of its two firings; one job waits between them, none after."""
    engine.deploy(camunda7("p", timer_start("timeCycle", "R2/PT5M") + user("u") + flows("s->u")))
    assert timers(engine) == ["s"] and started(engine, "p") == []
    engine.advance(minutes=5)
    assert len(started(engine, "p")) == 1 and timers(engine) == ["s"]
    engine.advance(minutes=5)
    runs = started(engine, "p")
    assert len(runs) == 2 and timers(engine) == []
    assert [r.open_tasks() for r in runs] == [["u"], ["u"]]
    engine.advance(minutes=5)
    assert len(started(engine, "p")) == 2


def test_cron_start_timer_keeps_its_schedule(engine: Engine) -> None:
    """StartTimerEventTest.testTimeCycle: a Quartz cron start timer (``0 0/5 * * * ?``) fires
    and a new job takes its place; every firing is a new instance."""
    engine.deploy(
        camunda7("p", timer_start("timeCycle", "0 0/5 * * * ?") + user("u") + flows("s->u"))
    )
    assert timers(engine) == ["s"]
    engine.advance(minutes=5)
    assert len(started(engine, "p")) == 1 and timers(engine) == ["s"]
    engine.advance(minutes=5)
    assert len(started(engine, "p")) == 2 and timers(engine) == ["s"]


def test_version_upgrade_replaces_the_start_timer(engine: Engine) -> None:
    """StartTimerEventTest.testVersionUpgradeShouldCancelJobs: deploying a changed version keeps
    one job, and its firing starts the new version."""
    body = timer_start("timeCycle", "0 0/5 * * * ?") + user("{task}") + flows("s->{task}")
    engine.deploy(camunda7("p", body.format(task="beforeChange")))
    engine.deploy(camunda7("p", body.format(task="changed")))
    assert timers(engine) == ["s"]
    engine.advance(minutes=5)
    runs = started(engine, "p")
    assert [r.open_tasks() for r in runs] == [["changed"]]
    assert timers(engine) == ["s"]


def test_redeploying_the_same_version_keeps_one_start_timer(engine: Engine) -> None:
    """StartTimerEventTest.testTimerShouldNotBeRecreatedOnDeploymentCacheReboot: the same
    definition deployed again schedules nothing new."""
    xml = camunda7("p", timer_start("timeCycle", "R/PT5M") + user("u") + flows("s->u"))
    engine.deploy(xml)
    engine.deploy(xml)
    assert timers(engine) == ["s"]


def test_start_duration_from_an_expression(engine: Engine) -> None:
    """StartTimerEventTest.testInterruptingWithDurationExpression: ``${duration}`` (a bean in
    Camunda, a variable the expression reads here) sets the start timer's duration."""
    xml = camunda7(
        "p", timer_start("timeDuration", "${duration}") + user("aTask") + flows("s->aTask")
    )
    run = engine.start(xml, {"duration": "PT60S"})  # an instance started with its data waits
    assert run.waiting() == [("s", "timer")]
    engine.advance(seconds=60)
    assert run.open_tasks() == ["aTask"]


# -- timer start events of event subprocesses ------------------------------------------------


def _with_event_subprocess(kind: str, text: str, *, interrupting: bool) -> str:
    inner = script("dummy", "wasExecuted = True") + '<bpmn:endEvent id="es_end"/>'
    inner += flows("es_start->dummy", "dummy->es_end").replace('id="f', 'id="esf')
    return camunda7(
        "p",
        '<bpmn:startEvent id="start"/>'
        + user("task")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->task", "task->end")
        + event_subprocess("es", kind, text, inner, interrupting=interrupting),
    )


def test_interrupting_timer_event_subprocess(engine: Engine) -> None:
    """StartTimerEventTest.testStartTimerEventInEventSubProcess: the PT1M timer fires, the
    subprocess's service task runs, the user task is gone and the instance ends."""
    run = engine.start(_with_event_subprocess("timeDuration", "PT1M", interrupting=True))
    assert run.open_tasks() == ["task"] and timers(engine, run) == ["es_start"]
    engine.advance(minutes=1)
    assert "dummy" in run.ran()
    assert run.open_tasks() == [] and run.ended
    assert timers(engine, run) == []


def test_non_interrupting_timer_event_subprocess(engine: Engine) -> None:
    """StartTimerEventTest.testNonInterruptingStartTimerEventInEventSubProcess: the timer fires,
    the service task runs, the user task stays and the instance goes on."""
    run = engine.start(_with_event_subprocess("timeDuration", "PT1M", interrupting=False))
    engine.advance(minutes=1)
    assert "dummy" in run.ran()
    assert run.open_tasks() == ["task"] and not run.ended
    assert timers(engine, run) == []
    run.complete("task")
    assert run.ended


def test_non_interrupting_cron_event_subprocess_repeats(engine: Engine) -> None:
    """StartTimerEventTest.testNonInterruptingTimeCycleInEventSubProcess: after a firing of
    ``0 0/5 * * * ?`` the next job is there; it fires again five minutes later."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="start"/>'
        + user("task")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->task", "task->end")
        + event_subprocess(
            "es",
            "timeCycle",
            "0 0/5 * * * ?",
            user("inner")
            + '<bpmn:endEvent id="es_end"/>'
            + flows("es_start->inner", "inner->es_end").replace('id="f', 'id="esf'),
            interrupting=False,
        ),
    )
    run = engine.start(xml)
    assert timers(engine, run) == ["es_start"]
    engine.advance(minutes=5)
    assert run.open_tasks() == ["inner", "task"] and timers(engine, run) == ["es_start"]
    engine.advance(minutes=5)
    assert run.open_tasks() == ["inner", "inner", "task"]


def test_interrupting_event_subprocess_duration_from_an_expression(engine: Engine) -> None:
    """StartTimerEventTest.testInterruptingWithDurationExpressionInEventSubprocess: the event
    subprocess's ``${duration}`` (PT60S) is read from the instance's variables."""
    inner = user("taskInSubprocess") + '<bpmn:endEvent id="es_end"/>'
    inner += flows("es_start->taskInSubprocess", "taskInSubprocess->es_end").replace(
        'id="f', 'id="esf'
    )
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="start"/>'
        + user("task")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->task", "task->end")
        + event_subprocess("es", "timeDuration", "${duration}", inner, interrupting=True),
    )
    run = engine.start(xml, {"duration": "PT60S"})
    engine.advance(seconds=59)
    assert run.open_tasks() == ["task"]
    engine.advance(seconds=1)
    assert run.open_tasks() == ["taskInSubprocess"]


# -- interrupting timer boundary events ----------------------------------------------------------


def test_earliest_of_several_interrupting_timers_wins(engine: Engine) -> None:
    """BoundaryTimerEventTest.testMultipleTimersOnUserTask: of PT2H, PT1H and PT3H the PT1H
    timer fires, the third task is reached and no job is left."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("firstTask")
        + boundary("t1", "firstTask", "timeDuration", "PT2H")
        + boundary("t2", "firstTask", "timeDuration", "PT1H")
        + boundary("t3", "firstTask", "timeDuration", "PT3H")
        + user("secondTask")
        + user("thirdTask")
        + user("fourthTask")
        + '<bpmn:endEvent id="e"/>'
        + flows(
            "s->firstTask", "firstTask->e", "t1->secondTask", "t2->thirdTask", "t3->fourthTask"
        ),
    )
    run = engine.start(xml)
    assert timers(engine, run) == ["t1", "t2", "t3"]
    engine.advance(hours=1)
    assert run.open_tasks() == ["thirdTask"]
    assert timers(engine, run) == []


def test_timer_on_nested_subprocesses(engine: Engine) -> None:
    """BoundaryTimerEventTest.testTimerOnNestingOfSubprocesses: a timer on the outer subprocess
    ends both inner tasks of the nested one; the task outside is reached."""
    inner = (
        '<bpmn:subProcess id="inner"><bpmn:startEvent id="is"/><bpmn:parallelGateway id="fork"/>'
        + user("innerTask1")
        + user("innerTask2")
        + '<bpmn:parallelGateway id="join"/><bpmn:endEvent id="ie"/>'
        + flows(
            "is->fork",
            "fork->innerTask1",
            "fork->innerTask2",
            "innerTask1->join",
            "innerTask2->join",
            "join->ie",
        ).replace('id="f', 'id="if')
        + "</bpmn:subProcess>"
    )
    outer = (
        '<bpmn:subProcess id="outer"><bpmn:startEvent id="os"/>'
        + inner
        + '<bpmn:endEvent id="oe"/>'
        + flows("os->inner", "inner->oe").replace('id="f', 'id="of')
        + "</bpmn:subProcess>"
    )
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + outer
        + boundary("t", "outer", "timeDuration", "PT1H")
        + user("outside")
        + user("after")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->outer", "outer->after", "after->e", "t->outside"),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["innerTask1", "innerTask2"]
    engine.advance(hours=1)
    assert run.open_tasks() == ["outside"]


def test_boundary_duration_from_an_expression(engine: Engine) -> None:
    """BoundaryTimerEventTest.testExpressionOnTimer: ``${duration}`` = PT1H; the timer fires an
    hour later and the process ends."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("u")
        + boundary("t", "u", "timeDuration", "${duration}")
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
        + flows("s->u", "u->e", "t->e2"),
    )
    run = engine.start(xml, {"duration": "PT1H"})
    assert timers(engine, run) == ["t"]
    engine.advance(hours=1)
    assert run.ended and timers(engine, run) == []


def test_interrupting_cron_timer_reenters_its_task(engine: Engine) -> None:
    """BoundaryTimerEventTest.testRepeatingTimerWithCancelActivity: an interrupting cron timer
    (``0/2 * * * * ?``) fires once, cancels the task, and the flow back re-enters it with one new
    timer: one job and one task again, not a job per firing."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("u")
        + boundary("t", "u", "timeCycle", "0/2 * * * * ?")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->u", "u->e", "t->u"),
    )
    run = engine.start(xml)
    assert timers(engine, run) == ["t"] and run.open_tasks() == ["u"]
    engine.advance(seconds=2)
    assert timers(engine, run) == ["t"] and run.open_tasks() == ["u"]
    assert run.visited("t") == 1


def test_interrupting_timer_with_two_outgoing_flows(engine: Engine) -> None:
    """BoundaryTimerEventTest.testMultipleOutgoingSequenceFlows: both flows out of the fired
    timer are taken; completing both tasks ends the process."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("u")
        + boundary("t", "u", "timeDuration", "PT1H")
        + user("a")
        + user("b")
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="ea"/><bpmn:endEvent id="eb"/>'
        + flows("s->u", "u->e", "t->a", "t->b", "a->ea", "b->eb"),
    )
    run = engine.start(xml)
    engine.advance(hours=1)
    assert run.open_tasks() == ["a", "b"]
    run.complete("a").complete("b")
    assert run.ended


def test_process_ending_at_once_leaves_no_timer(engine: Engine) -> None:
    """BoundaryTimerEventTest.testTimerInSingleTransactionProcess: an instance that completes in
    its first step leaves no timer job behind."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/><bpmn:subProcess id="sub"><bpmn:startEvent id="ss"/>'
        + script("work", "x = 1")
        + '<bpmn:endEvent id="se"/>'
        + flows("ss->work", "work->se").replace('id="f', 'id="sf')
        + "</bpmn:subProcess>"
        + boundary("t", "sub", "timeDuration", "PT1H")
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
        + flows("s->sub", "sub->e", "t->e2"),
    )
    run = engine.start(xml)
    assert run.ended and timers(engine) == []


def test_boundary_timer_fires_at_its_due_instant(engine: Engine) -> None:
    """BoundaryTimerNonInterruptingEventTest.shouldExecuteTimerJobOnOrAfterDueDate: the job is
    not executable a second before its due date and is at the due date itself."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("u")
        + boundary("t", "u", "timeDuration", "PT1H")
        + user("late")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->u", "u->e", "t->late"),
    )
    run = engine.start(xml)
    engine.advance_to(EPOCH + HOUR - dt.timedelta(seconds=1))
    assert run.open_tasks() == ["u"]
    engine.advance_to(EPOCH + HOUR)
    assert run.open_tasks() == ["late"]


# -- non-interrupting timer boundary events ------------------------------------------------------


def test_non_interrupting_timers_each_fork_a_branch(engine: Engine) -> None:
    """BoundaryTimerNonInterruptingEventTest.testMultipleTimersOnUserTask: PT1H and PT2H timers
    each add an escalation task beside the first; the first ending leaves escalation 2 open."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("first")
        + boundary("t1", "first", "timeDuration", "PT1H", cancel=False)
        + boundary("t2", "first", "timeDuration", "PT2H", cancel=False)
        + user("escalation1")
        + user("escalation2")
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows(
            "s->first",
            "first->e",
            "t1->escalation1",
            "t2->escalation2",
            "escalation1->e1",
            "escalation2->e2",
        ),
    )
    run = engine.start(xml)
    assert timers(engine, run) == ["t1", "t2"]
    engine.advance(hours=1)
    assert timers(engine, run) == ["t2"]
    assert run.open_tasks() == ["escalation1", "first"]
    run.complete("escalation1")
    assert run.open_tasks() == ["first"]
    engine.advance(hours=1)
    assert timers(engine, run) == []
    assert run.open_tasks() == ["escalation2", "first"]
    run.complete("first")
    assert run.open_tasks() == ["escalation2"]
    run.complete("escalation2")
    assert run.ended


def test_non_interrupting_branch_joins_the_main_path(engine: Engine) -> None:
    """BoundaryTimerNonInterruptingEventTest.testJoin: the escalation branch and the main path
    meet at a parallel join; the process ends once both arrive."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("main")
        + boundary("t", "main", "timeDuration", "PT1H", cancel=False)
        + user("escalation")
        + '<bpmn:parallelGateway id="join"/><bpmn:endEvent id="e"/>'
        + flows("s->main", "main->join", "t->escalation", "escalation->join", "join->e"),
    )
    run = engine.start(xml)
    engine.advance(hours=1)
    assert run.open_tasks() == ["escalation", "main"]
    run.complete("main")
    assert run.open_tasks() == ["escalation"]
    run.complete("escalation")
    assert run.ended


def _concurrent() -> str:
    return camunda7(
        "p",
        '<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>'
        + user("firstTask")
        + user("secondTask")
        + boundary("t", "firstTask", "timeDuration", "PT1H", cancel=False)
        + user("timerFiredTask")
        + '<bpmn:parallelGateway id="join"/><bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
        + flows(
            "s->fork",
            "fork->firstTask",
            "fork->secondTask",
            "firstTask->join",
            "secondTask->join",
            "join->e",
            "t->timerFiredTask",
            "timerFiredTask->e2",
        ),
    )


def test_non_interrupting_timer_on_concurrent_tasks(engine: Engine) -> None:
    """BoundaryTimerNonInterruptingEventTest.testTimerOnConcurrentTasks: the fired branch's task
    completes first, then the two concurrent ones; the process ends."""
    run = engine.start(_concurrent())
    assert len(run.open_tasks()) == 2
    engine.advance(hours=1)
    assert len(run.open_tasks()) == 3
    run.complete("timerFiredTask")
    assert run.open_tasks() == ["firstTask", "secondTask"]
    run.complete("firstTask").complete("secondTask")
    assert run.ended


def test_non_interrupting_timer_on_concurrent_tasks_join_first(engine: Engine) -> None:
    """BoundaryTimerNonInterruptingEventTest.testTimerOnConcurrentTasks2: the join is reached
    first; the fired branch's task still completes the process."""
    run = engine.start(_concurrent())
    engine.advance(hours=1)
    run.complete("firstTask").complete("secondTask")
    assert run.open_tasks() == ["timerFiredTask"]
    run.complete("timerFiredTask")
    assert run.ended


def test_non_interrupting_cycle_fires_while_the_task_is_active(engine: Engine) -> None:
    """BoundaryTimerNonInterruptingEventTest.testTimerWithCycle: ``R/PT1H`` adds a task every
    hour; once the task completes no more are added."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("task")
        + boundary("t", "task", "timeCycle", "R/PT1H", cancel=False)
        + user("timerFiredTask")
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
        + flows("s->task", "task->e", "t->timerFiredTask", "timerFiredTask->e2"),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["task"]
    engine.advance(hours=1)
    assert run.open_tasks().count("timerFiredTask") == 1
    engine.advance(hours=1)
    assert run.open_tasks().count("timerFiredTask") == 2
    run.complete("task")
    engine.advance(hours=1)
    assert run.open_tasks() == ["timerFiredTask", "timerFiredTask"]
    assert timers(engine, run) == []


def test_non_interrupting_cycle_with_repetitions_keeps_every_branch(engine: Engine) -> None:
    """BoundaryTimerNonInterruptingEventTest.testTimeCycle (``R3/PT1H``): the timer fires three
    times, each firing's task stays open, it stops after the third, and completing the task
    it is attached to leaves all three branches running."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("task")
        + boundary("t", "task", "timeCycle", "R3/PT1H", cancel=False)
        + user("fired")
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
        + flows("s->task", "task->e", "t->fired", "fired->e2"),
    )
    run = engine.start(xml)
    for n in (1, 2, 3):
        engine.advance(hours=1)
        assert run.open_tasks().count("fired") == n
    engine.advance(hours=1)
    assert run.open_tasks().count("fired") == 3 and timers(engine, run) == []
    assert ("t", "timer") not in run.waiting()
    run.complete("task")
    assert run.open_tasks() == ["fired", "fired", "fired"]
    for _ in range(3):
        run.complete("fired")
    assert run.ended


def test_non_interrupting_cycle_with_a_start_date(engine: Engine) -> None:
    """DurationHelper (TimeExpressionTest) ``R2/<start>/PT1H``: the first firing is at the start
    date, the second an hour later, then none."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("task")
        + boundary("t", "task", "timeCycle", "R2/2026-01-05T10:00:00Z/PT1H", cancel=False)
        + user("fired")
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
        + flows("s->task", "task->e", "t->fired", "fired->e2"),
    )
    run = engine.start(xml)
    engine.advance(minutes=59)
    assert run.open_tasks() == ["task"]
    engine.advance(minutes=1)  # 10:00
    assert run.open_tasks() == ["fired", "task"]
    engine.advance(hours=1)  # 11:00
    assert run.open_tasks() == ["fired", "fired", "task"]
    engine.advance(hours=5)
    assert run.open_tasks() == ["fired", "fired", "task"]


def test_non_interrupting_timer_on_embedded_subprocess(engine: Engine) -> None:
    """BoundaryTimerNonInterruptingEventTest.testTimerOnEmbeddedSubprocess: the timer on the
    subprocess adds a task for kermit beside the inner one; completing both ends the process."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/><bpmn:subProcess id="sub"><bpmn:startEvent id="ss"/>'
        + user("inner", 'camunda:assignee="kermit"')
        + '<bpmn:endEvent id="se"/>'
        + flows("ss->inner", "inner->se").replace('id="f', 'id="sf')
        + "</bpmn:subProcess>"
        + boundary("t", "sub", "timeDuration", "PT1H", cancel=False)
        + user("escalation", 'camunda:assignee="kermit"')
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
        + flows("s->sub", "sub->e", "t->escalation", "escalation->e2"),
    )
    run = engine.start(xml)
    assert [t.assignee for t in run.tasks()] == ["kermit"]
    engine.advance(hours=1)
    assert sorted(t.assignee or "" for t in run.tasks()) == ["kermit", "kermit"]
    run.complete("inner").complete("escalation")
    assert run.ended


def test_receive_task_with_a_cycle_from_a_variable(engine: Engine) -> None:
    """BoundaryTimerNonInterruptingEventTest.testReceiveTaskWithBoundaryTimer: ``${timeCycle}``
    (R/PT1H) schedules one job on the receive task; the message ends the process."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/><bpmn:receiveTask id="task" messageRef="m"/>'
        + boundary("t", "task", "timeCycle", "${timeCycle}", cancel=False)
        + user("fired")
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
        + flows("s->task", "task->e", "t->fired", "fired->e2"),
        extra='<bpmn:message id="m" name="go"/>',
    )
    run = engine.start(xml, {"timeCycle": "R/PT1H"}, business_key="k")
    assert timers(engine, run) == ["t"]
    engine.message("go", key="k")
    assert run.ended and timers(engine, run) == []


def test_non_interrupting_timer_with_two_outgoing_flows(engine: Engine) -> None:
    """BoundaryTimerNonInterruptingEventTest.testMultipleOutgoingSequenceFlows: both flows of
    the fired timer are taken while the task stays; all three complete the process."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("u")
        + boundary("t", "u", "timeDuration", "PT1H", cancel=False)
        + user("a")
        + user("b")
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="ea"/><bpmn:endEvent id="eb"/>'
        + flows("s->u", "u->e", "t->a", "t->b", "a->ea", "b->eb"),
    )
    run = engine.start(xml)
    engine.advance(hours=1)
    assert run.open_tasks() == ["a", "b", "u"]
    run.complete("a").complete("b").complete("u")
    assert run.ended


def test_non_interrupting_timer_on_a_multi_instance_task(engine: Engine) -> None:
    """BoundaryTimerNonInterruptingEventTest.testTimerOnMiUserTask: one timer for the five
    instances; its firing adds one escalation task; completing all ends the process."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user(
            "first",
            inner="<bpmn:multiInstanceLoopCharacteristics>"
            "<bpmn:loopCardinality>5</bpmn:loopCardinality>"
            "</bpmn:multiInstanceLoopCharacteristics>",
        )
        + boundary("t", "first", "timeDuration", "PT1H", cancel=False)
        + user("escalation")
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
        + flows("s->first", "first->e", "t->escalation", "escalation->e2"),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["first"] * 5
    assert timers(engine, run) == ["t"]
    engine.advance(hours=1)
    assert run.open_tasks() == ["escalation"] + ["first"] * 5
    run.complete("escalation")
    for _ in range(5):
        run.complete("first")
    assert run.ended


# -- intermediate timer catch events -------------------------------------------------------------


def test_intermediate_timer_catch(engine: Engine) -> None:
    """IntermediateTimerEventTest.testCatchingTimerEvent: a PT50M catch event is one job; when
    it fires the process ends and no job is left."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + catch("timer", "timeDuration", "PT50M")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->timer", "timer->e"),
    )
    run = engine.start(xml)
    assert timers(engine, run) == ["timer"]
    engine.advance(minutes=49)
    assert not run.ended
    engine.advance(minutes=1)
    assert run.ended and timers(engine, run) == []


@pytest.mark.parametrize(
    "due", ["2026-01-05T09:30:00Z", "2026-01-05T09:30:00+00:00"], ids=["zulu", "offset"]
)
def test_intermediate_timer_date_from_a_variable(engine: Engine, due: str) -> None:
    """IntermediateTimerEventTest.testExpression: ``#{dueDate}`` reads the date from a variable
    (ISO text in either spelling); each instance ends when it falls due."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + catch("timer", "timeDate", "#{dueDate}")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->timer", "timer->e"),
    )
    run = engine.start(xml, {"dueDate": due})
    assert timers(engine, run) == ["timer"]
    engine.advance(minutes=30)
    assert run.ended and timers(engine, run) == []


def test_intermediate_cron_timer_fires_once(engine: Engine) -> None:
    """IntermediateTimerEventTest.testTimeCycle: a cron catch event (``0 0/5 * * * ?``) fires once
    and the token moves on: no job is left, the task after it completes the process."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + catch("timer", "timeCycle", "0 0/5 * * * ?")
        + user("task")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->timer", "timer->task", "task->e"),
    )
    run = engine.start(xml)
    assert timers(engine, run) == ["timer"]
    engine.advance(minutes=5)
    assert timers(engine, run) == [] and run.open_tasks() == ["task"]
    engine.advance(minutes=5)
    assert run.open_tasks() == ["task"]
    run.complete("task")
    assert run.ended


# -- cron dialects ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flavour", "expression", "fires_at"),
    [
        # Quartz (Camunda 7): day of week 2 is Monday; EPOCH is Monday 09:00.
        ("camunda7", "0 0 10 ? * 2", dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)),
        # Spring (Camunda 8): day of week 2 is Tuesday.
        ("zeebe", "0 0 10 * * 2", dt.datetime(2026, 1, 6, 10, tzinfo=dt.UTC)),
        ("camunda7", "0 30 9 ? * MON-FRI", dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)),
        ("zeebe", "0 0 12 * * SAT", dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)),
    ],
    ids=["quartz-monday", "spring-tuesday", "quartz-weekdays", "spring-saturday"],
)
def test_cron_days_of_the_week_by_dialect(
    engine: Engine, flavour: str, expression: str, fires_at: dt.datetime
) -> None:
    """Cron days of the week as each engine counts them: Quartz in Camunda 7 (the cron of
    IntermediateTimerEventTest.testTimeCycle; 1 is Sunday), Spring in Zeebe (CronTimerTest's
    week range: 0 or 7 is Sunday). The catch event fires at the first matching instant, not a
    second before."""
    wrap = camunda7 if flavour == "camunda7" else zeebe
    xml = wrap(
        "p",
        '<bpmn:startEvent id="s"/>'
        + catch("timer", "timeCycle", expression)
        + user("task")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->timer", "timer->task", "task->e"),
    )
    run = engine.start(xml)
    engine.advance_to(fires_at - dt.timedelta(seconds=1))
    assert run.open_tasks() == []
    engine.advance_to(fires_at)
    assert run.open_tasks() == ["task"]


def test_invalid_cron_is_refused_at_deploy(engine: Engine) -> None:
    """StartTimerEventTest.testFailingTimeCycle (deploy-time check): a cron expression that
    cannot be read (hour 25) fails the deployment with the element named."""
    xml = camunda7("p", timer_start("timeCycle", "0 0 25 * * ?") + user("u") + flows("s->u"))
    engine.refused(xml, element="s", says="cron")


# -- Camunda 8 ---------------------------------------------------------------------------------


def _zeebe_catch(kind: str, text: str) -> str:
    return zeebe(
        "p",
        '<bpmn:startEvent id="s"/>'
        + catch("timer", kind, text)
        + '<bpmn:endEvent id="e"/>'
        + flows("s->timer", "timer->e"),
    )


def test_zeebe_catch_duration(engine: Engine) -> None:
    """Zeebe TimerCatchEventTest.shouldTriggerTimer: a PT1M catch event triggers a minute
    after it was reached, and the instance completes."""
    run = engine.start(_zeebe_catch("timeDuration", "PT1M"))
    engine.advance(seconds=59)
    assert not run.ended and timers(engine, run) == ["timer"]
    engine.advance(seconds=1)
    assert run.ended


def test_zeebe_catch_duration_from_a_feel_string(engine: Engine) -> None:
    """Zeebe TimerCatchEventTest.shouldCreateTimerFromFeelExpression: ``="PT10S"`` (a FEEL
    string) is the timer's duration."""
    run = engine.start(_zeebe_catch("timeDuration", "=&quot;PT10S&quot;"))
    [due] = [t.due_at for t in engine.store.due_timers(FAR, 10)]
    assert due == EPOCH + dt.timedelta(seconds=10)
    engine.advance(seconds=10)
    assert run.ended


def test_zeebe_catch_date_from_now_plus_a_duration(engine: Engine) -> None:
    """Zeebe TimerCatchEventTest.shouldTriggerTimerDateTime: ``=now() + duration("PT1M")`` is
    read on the engine's clock; the timer triggers a minute later."""
    run = engine.start(_zeebe_catch("timeDate", "=now() + duration(&quot;PT1M&quot;)"))
    engine.advance(seconds=59)
    assert not run.ended
    engine.advance(seconds=1)
    assert run.ended


def test_zeebe_zero_duration_triggers_in_the_worker(engine: Engine) -> None:
    """Zeebe TimerCatchEventTest.shouldTriggerTimerWithZeroDuration: a PT0S timer is created
    and triggered (by the worker, as a timer is never fired inside the step that reached it)."""
    run = engine.start(_zeebe_catch("timeDuration", "PT0S"))
    assert timers(engine, run) == ["timer"]
    engine.work()
    assert run.ended


def test_zeebe_boundary_absolute_date_from_feel(engine: Engine) -> None:
    """Zeebe TimerCatchEventTest (BOUNDARY_EVENT_ABSOLUTE_DATETIME_PROCESS): an interrupting
    boundary timer at ``date and time(date("2178-11-25"),time("T00:00:00@UTC"))``."""
    expression = '=date and time(date("2178-11-25"),time("T00:00:00@UTC"))'.replace('"', "&quot;")
    xml = zeebe(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("task")
        + boundary("timer", "task", "timeDate", expression)
        + '<bpmn:endEvent id="eventEnd"/><bpmn:endEvent id="taskEnd"/>'
        + flows("s->task", "task->taskEnd", "timer->eventEnd"),
    )
    run = engine.start(xml)
    [due] = [t.due_at for t in engine.store.due_timers(FAR.replace(year=2200), 10)]
    assert due == dt.datetime(2178, 11, 25, tzinfo=dt.UTC)
    engine.advance_to(due)
    assert run.ended and run.visited("eventEnd") == 1


def test_zeebe_non_interrupting_cycle_with_two_repetitions(engine: Engine) -> None:
    """Zeebe TimerCatchEventTest (TWO_REPS_CYCLE_PROCESS): a non-interrupting ``R2/PT1S``
    boundary timer triggers twice while its task is active, then no more."""
    xml = zeebe(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("task")
        + boundary("timer", "task", "timeCycle", "R2/PT1S", cancel=False)
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows("s->task", "task->e2", "timer->e1"),
    )
    run = engine.start(xml)
    for _ in range(4):
        engine.advance(seconds=1)
    assert run.visited("e1") == 2 and timers(engine, run) == []
    run.complete("task")
    assert run.ended


def test_zeebe_timer_start_cycle_one_instance_per_firing(engine: Engine) -> None:
    """Zeebe TimerStartEventTest.shouldCreateMultipleProcessInstancesWithRepeatingTimer:
    ``R2/PT3S`` creates an instance at each of its two triggers, then the timer is gone."""
    engine.deploy(zeebe("p", timer_start("timeCycle", "R2/PT3S") + user("u") + flows("s->u")))
    engine.advance(seconds=3)
    assert len(started(engine, "p")) == 1 and timers(engine) == ["s"]
    engine.advance(seconds=3)
    assert len(started(engine, "p")) == 2 and timers(engine) == []
    engine.advance(seconds=30)
    assert len(started(engine, "p")) == 2


def test_zeebe_cron_timer_start(engine: Engine) -> None:
    """Zeebe CronTimerTest.shouldParseSpecificMinuteSecond on a start event: ``55 5 * * * *``
    falls due at minute 5, second 55, then an hour later; each firing starts an instance."""
    engine.deploy(zeebe("p", timer_start("timeCycle", "55 5 * * * *") + user("u") + flows("s->u")))
    [due] = [t.due_at for t in engine.store.due_timers(FAR, 10)]
    assert due == EPOCH.replace(minute=5, second=55)
    engine.advance_to(due)
    assert len(started(engine, "p")) == 1
    [due] = [t.due_at for t in engine.store.due_timers(FAR, 10)]
    assert due == EPOCH.replace(hour=10, minute=5, second=55)
    engine.advance_to(due)
    assert len(started(engine, "p")) == 2


def test_late_worker_starts_one_instance_per_missed_firing(engine: Engine) -> None:
    """StartTimerEventTest.testCycleWithLimitStartTimerEvent with the clock moved past both
    firings at once: each firing still starts its own instance."""
    engine.deploy(camunda7("p", timer_start("timeCycle", "R2/PT5M") + user("u") + flows("s->u")))
    engine.advance(minutes=30)
    assert len(started(engine, "p")) == 2 and timers(engine) == []
