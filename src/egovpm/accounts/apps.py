from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "egovpm.accounts"
    label = "accounts"

    def ready(self) -> None:
        from egovpm.accounts import middleware, schema  # noqa: F401  (OpenAPI auth extensions; login signal)
