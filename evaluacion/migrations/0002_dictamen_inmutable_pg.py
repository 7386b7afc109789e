"""PostgreSQL refuses to change a signed ruling or the scores behind it, whatever the path.

The application refuses first (services and model saves); this is the database saying the same
for raw SQL, bulk updates and anything else. Other databases rely on the application layer."""

from django.db import migrations

SQL = r"""
CREATE OR REPLACE FUNCTION reconoce_dictamen_inmutable() RETURNS trigger AS $$
BEGIN
    IF OLD.estado = 'firmado' THEN
        RAISE EXCEPTION 'El dictamen % está firmado: es definitivo e inapelable.', OLD.folio
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION reconoce_parte_de_dictamen_inmutable() RETURNS trigger AS $$
DECLARE d_id bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN d_id := OLD.dictamen_id; ELSE d_id := NEW.dictamen_id; END IF;
    IF EXISTS (SELECT 1 FROM evaluacion_dictamen WHERE id = d_id AND estado = 'firmado')
       OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM evaluacion_dictamen WHERE id = OLD.dictamen_id AND estado = 'firmado')) THEN
        RAISE EXCEPTION 'El dictamen está firmado: sus motivos y firmas no cambian.'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION reconoce_calificacion_inmutable() RETURNS trigger AS $$
DECLARE p_id bigint;
BEGIN
    IF TG_TABLE_NAME = 'evaluacion_calificacion' THEN
        SELECT practica_id INTO p_id FROM evaluacion_evaluacion WHERE id = OLD.evaluacion_id;
    ELSE
        p_id := OLD.practica_id;
    END IF;
    IF EXISTS (SELECT 1 FROM evaluacion_dictamen WHERE practica_id = p_id AND estado = 'firmado') THEN
        RAISE EXCEPTION 'El dictamen de la práctica está firmado: las calificaciones no cambian.'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER dictamen_inmutable BEFORE UPDATE OR DELETE ON evaluacion_dictamen
    FOR EACH ROW EXECUTE FUNCTION reconoce_dictamen_inmutable();
CREATE TRIGGER motivo_dictamen_inmutable BEFORE INSERT OR UPDATE OR DELETE ON evaluacion_motivodictamen
    FOR EACH ROW EXECUTE FUNCTION reconoce_parte_de_dictamen_inmutable();
CREATE TRIGGER firma_dictamen_inmutable BEFORE INSERT OR UPDATE OR DELETE ON evaluacion_firmadictamen
    FOR EACH ROW EXECUTE FUNCTION reconoce_parte_de_dictamen_inmutable();
CREATE TRIGGER calificacion_inmutable BEFORE UPDATE OR DELETE ON evaluacion_calificacion
    FOR EACH ROW EXECUTE FUNCTION reconoce_calificacion_inmutable();
CREATE TRIGGER evaluacion_inmutable BEFORE UPDATE OR DELETE ON evaluacion_evaluacion
    FOR EACH ROW EXECUTE FUNCTION reconoce_calificacion_inmutable();
CREATE TRIGGER recusa_inmutable BEFORE UPDATE OR DELETE ON evaluacion_recusa
    FOR EACH ROW EXECUTE FUNCTION reconoce_calificacion_inmutable();
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS dictamen_inmutable ON evaluacion_dictamen;
DROP TRIGGER IF EXISTS motivo_dictamen_inmutable ON evaluacion_motivodictamen;
DROP TRIGGER IF EXISTS firma_dictamen_inmutable ON evaluacion_firmadictamen;
DROP TRIGGER IF EXISTS calificacion_inmutable ON evaluacion_calificacion;
DROP TRIGGER IF EXISTS evaluacion_inmutable ON evaluacion_evaluacion;
DROP TRIGGER IF EXISTS recusa_inmutable ON evaluacion_recusa;
DROP FUNCTION IF EXISTS reconoce_dictamen_inmutable();
DROP FUNCTION IF EXISTS reconoce_parte_de_dictamen_inmutable();
DROP FUNCTION IF EXISTS reconoce_calificacion_inmutable();
"""


def crear(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL, params=None)


def borrar(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE, params=None)


class Migration(migrations.Migration):
    dependencies = [("evaluacion", "0001_initial")]
    operations = [migrations.RunPython(crear, borrar)]
