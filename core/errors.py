class ErrorDominio(Exception):
    """A domain rule said no. The message is Spanish and is shown to the person as is."""

    def __init__(self, mensaje, campo=None):
        super().__init__(mensaje)
        self.mensaje = str(mensaje)
        self.campo = campo

    def __str__(self):
        return self.mensaje
