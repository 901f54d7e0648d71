from ninja import NinjaAPI

api = NinjaAPI(title="Dear", version="1", urls_namespace="api")
