from django.apps import AppConfig


class DevdataConfig(AppConfig):
    """No models, no pages: only the management commands load_demo and generate_scale_data."""

    name = "devdata"
