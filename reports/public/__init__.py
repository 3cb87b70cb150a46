"""The citizen's side of reports: the report form and its intake, the status page, their urls.

Pages for citizens (no account), kept apart from the staff side (reports.staff) as two audiences:
what is here never imports the staff package, and reads and writes through reports' services.
"""
