"""Services above the engine: what uses the engine's verbs on behalf of the CLI and web app.

- :mod:`~seamline.services.correlation`: messages and signals routed to waiting instances or
  start events (also the engine's outbox for what instances throw);
- :mod:`~seamline.services.worker`: the worker firing due timers and running due connector jobs;
- :mod:`~seamline.services.authorization`: who may claim, complete, set, resume or cancel;
- :mod:`~seamline.services.validator`: which engine-side checks `seamline validate` and loading
  run.

Each depends on the :class:`~seamline.engine.engine.Engine` and the store, never on
:class:`seamline.App`, which only builds and wires them.
"""
