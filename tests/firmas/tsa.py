"""An RFC 3161 time-stamping service on a loopback port, for the tests: pyHanko's DummyTimeStamper
(which signs each token with the certificate it is given) behind a real HTTP endpoint, so the portal's
signing goes through the same HTTP client it uses against a real service."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper


class ServicioSelladoTiempo:
    def __init__(self, certificado, clave, cadena=()):
        self.sellador = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(certificado.public_bytes(serialization.Encoding.DER)),
            tsa_key=asn1_keys.PrivateKeyInfo.load(clave.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
            certs_to_embed=[asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in cadena])
        self.solicitudes = 0
        self.caido = False
        servicio = self

        class Manejador(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                cuerpo = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if servicio.caido:
                    self.send_error(503)
                    return
                servicio.solicitudes += 1
                respuesta = servicio.sellador.request_tsa_response(tsp.TimeStampReq.load(cuerpo)).dump()
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(respuesta)))
                self.end_headers()
                self.wfile.write(respuesta)

            def log_message(self, *args):
                pass

        self.servidor = ThreadingHTTPServer(("127.0.0.1", 0), Manejador)
        self.url = f"http://127.0.0.1:{self.servidor.server_address[1]}/"
        self._hilo = threading.Thread(target=self.servidor.serve_forever, daemon=True)

    def __enter__(self):
        self._hilo.start()
        return self

    def __exit__(self, *exc):
        self.servidor.shutdown()
        self.servidor.server_close()
