"""The staff pages of reports outside the admin: clean copies of evidence and the opening of sealed data."""

from reports.staff import downloads, sealed

urlpatterns = [*downloads.urlpatterns, *sealed.urlpatterns]
