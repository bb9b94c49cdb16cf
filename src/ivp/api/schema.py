"""The OpenAPI document: the API key as a bearer security scheme."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "ivp.api.authentication.TokenAuthentication"
    name = "apiSleutel"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "Een persoonlijke API-sleutel (begint met ivp_), aangemaakt op de eigen "
                "pagina in ivp. De sleutel heeft de rechten van de gebruiker."
            ),
        }
