"""What evaluacion tells the apps above it, which it never imports (compromisos follows a practice
to its recognition). Receivers run inside the sender's transaction: they record work in the outbox
(core.colas) rather than do it there, so a receiver's failure never holds a publication back."""

from django.dispatch import Signal

# Sent once, when a call's results are published (services.resultados_publicar), with
# `convocatoria` and `ahora`.
resultados_publicados = Signal()
