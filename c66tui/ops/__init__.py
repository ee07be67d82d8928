"""The operations layer: what c66tui decides and records, with no Textual in it.

The screens and the command line both stand on these modules: the session context
(``services``, ``identity``, ``credentials``), the redeploy and settings writes, the
deploy-state and job-reconcile rules, the poll plan, the journal, the job history, the stack
cache, the stack search, the demo's in-process world (``demo_world``) and the clock.
"""
