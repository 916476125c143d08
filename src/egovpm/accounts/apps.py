from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "egovpm.accounts"
    label = "accounts"

    def ready(self) -> None:
        from egovpm.accounts import schema  # noqa: F401  (registers the OpenAPI auth extensions)
