app_name = "jornadas"

urlpatterns = []
