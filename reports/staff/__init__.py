"""The staff side of reports: the admin (triage changelists, case pages, actions), staff pages, workspace queues.

Citizens' pages (intake, status, their forms) never import this package; reports.admin (for the
admin's autodiscovery) and reports.apps (the workspace queues) are its only entry points, and the
staff pages' URLs are reports.staff.urls.
"""
