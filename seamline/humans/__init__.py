"""People: who they are, which tasks they may take, and the forms they fill in.

The modules are the API: :mod:`~seamline.humans.identity` (users and directories),
:mod:`~seamline.humans.candidates` (who may take a task), :mod:`~seamline.humans.forms` (forms
compiled to JSON Schema, :func:`~seamline.humans.forms.validate_form`) and
:mod:`~seamline.humans.prompt` (filling a form in at a terminal).
"""
