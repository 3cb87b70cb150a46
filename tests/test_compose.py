"""The docker compose stack: the services exist, wire up and can be scaled."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def depends_on(service: dict) -> set[str]:
    needs = service.get("depends_on", [])
    return set(needs)  # a list of names or a mapping keyed by name


def published_host_ports(service: dict) -> list[str]:
    """Host side of each `ports` entry ("" when Docker picks one)."""
    published = []
    for entry in service.get("ports", []):
        if isinstance(entry, dict):
            published.append(str(entry.get("published", "")))
        else:
            parts = str(entry).split("/")[0].split(":")
            published.append(parts[-2] if len(parts) > 1 else "")
    return published


def test_compose_declares_the_services():
    assert "version" not in COMPOSE
    assert set(SERVICES) == {"migrate", "web", "worker", "beat", "db", "redis"}


def test_compose_web_runs_gunicorn():
    assert SERVICES["web"]["command"][:2] == ["gunicorn", "netralitas.wsgi"]


def test_compose_worker_and_beat_run_celery():
    assert SERVICES["worker"]["command"] == ["celery", "-A", "netralitas", "worker", "-l", "info", "--concurrency", "2"]
    assert SERVICES["beat"]["command"][:4] == ["celery", "-A", "netralitas", "beat"]
    assert SERVICES["beat"]["deploy"] == {"replicas": 1}


def test_compose_migrate_runs_migrations_and_reference_data():
    assert SERVICES["migrate"]["command"] == [
        "sh",
        "-c",
        "python manage.py migrate --noinput && python manage.py load_reference",
    ]
    assert SERVICES["migrate"]["restart"] == "no"


def test_compose_scalable_services_publish_no_fixed_host_port():
    # A fixed "8000:8000" would stop the second replica of `--scale web=3` from starting;
    # a range gives each replica its own port.
    assert published_host_ports(SERVICES["web"]) == ["8000-8009"]
    assert published_host_ports(SERVICES["worker"]) == []


def test_compose_db_and_redis_have_healthchecks():
    assert SERVICES["db"]["healthcheck"]["test"] == ["CMD-SHELL", "pg_isready -U netralitas -d netralitas"]
    assert SERVICES["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]


def test_compose_dependencies_exist_and_wait_for_health():
    for name, service in SERVICES.items():
        assert depends_on(service) <= set(SERVICES), name
    for name in ("web", "worker"):
        assert SERVICES[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"},
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }
    assert SERVICES["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}


def test_compose_web_and_worker_share_private_uploads():
    for name in ("web", "worker"):
        assert SERVICES[name]["volumes"] == ["private-media:/app/var/private"], name
        assert SERVICES[name]["environment"]["NETRALITAS_PRIVATE_MEDIA"] == "/app/var/private", name
    assert set(COMPOSE["volumes"]) == {"pgdata", "redisdata", "private-media"}


def test_env_example_documents_every_setting():
    settings_py = (ROOT / "netralitas" / "settings.py").read_text()
    env_example = (ROOT / ".env.example").read_text()
    read = set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""", settings_py))
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", env_example, re.MULTILINE))
    assert "DJANGO_SECRET_KEY" in read
    assert read - documented == set()
