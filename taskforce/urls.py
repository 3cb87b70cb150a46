from django.urls import path

from taskforce import case_views, team_views, views

urlpatterns = [
    path("", views.satgas_home, name="satgas_home"),
    path("perkara/<int:pk>/keputusan/", views.satgas_decision, name="satgas_decision"),
    # One team: monitoring of its region, workload, members and decree, meetings, monev.
    path("tim/<int:pk>/", views.satgas_team, name="satgas_team"),
    path("tim/<int:pk>/beban/", views.satgas_workload, name="satgas_workload"),
    path("tim/<int:pk>/anggota/", team_views.satgas_members, name="satgas_members"),
    path("tim/<int:pk>/anggota.xlsx", team_views.satgas_members_xlsx, name="satgas_members_xlsx"),
    path("tim/<int:pk>/anggota/impor/", team_views.satgas_members_import, name="satgas_members_import"),
    path("tim/<int:pk>/sk.pdf", team_views.satgas_decree_pdf, name="satgas_decree_pdf"),
    path("tim/<int:pk>/rapat/", team_views.satgas_meetings, name="satgas_meetings"),
    path("tim/<int:pk>/monev/", team_views.satgas_monev, name="satgas_monev"),
    path("rapat/<int:pk>/notulen.pdf", team_views.meeting_minutes, name="meeting_minutes"),
    path("monev/<int:pk>/", team_views.monev_detail, name="monev_detail"),
    path("monev/<int:pk>/unduh.pdf", team_views.monev_download, {"fmt": "pdf"}, name="monev_pdf"),
    path("monev/<int:pk>/unduh.xlsx", team_views.monev_download, {"fmt": "xlsx"}, name="monev_xlsx"),
    # One report or one case, as the Satgas sees it: its team, notes and meetings; assignment and notes.
    path("laporan/<int:pk>/", case_views.subject_page, {"kind": "laporan"}, name="satgas_report"),
    path("perkara/<int:pk>/", case_views.subject_page, {"kind": "perkara"}, name="satgas_case"),
    path("laporan/<int:pk>/<slug:action>/", case_views.subject_act, {"kind": "laporan"}, name="satgas_report_act"),
    path("perkara/<int:pk>/<slug:action>/", case_views.subject_act, {"kind": "perkara"}, name="satgas_case_act"),
]
