app_name = "evaluacion"

urlpatterns = []
