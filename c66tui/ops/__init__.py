"""The operations layer: what c66tui decides and records, with no Textual in it.

The screens and the command line both stand on these modules: the redeploy and settings writes,
the deploy-state and job-reconcile rules, the poll plan, the journal, the job history, the stack
cache and the clock.
"""
