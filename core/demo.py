"""What the demo-data commands share (portal's cargar_demo, jornadas' cargar_demo_jornadas)."""


def sincronizar(model, lookup: dict, valores: dict) -> tuple[object, bool]:
    """get_or_create that saves an existing row only when a value differs, so running a demo command
    again changes nothing and adds no history. Returns the row and whether it was written."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **valores)
    else:
        cambiados = [campo for campo, valor in valores.items() if getattr(obj, campo) != valor]
        if not cambiados:
            return obj, False
        for campo in cambiados:
            setattr(obj, campo, valores[campo])
    obj.full_clean()
    obj.save()
    return obj, True
