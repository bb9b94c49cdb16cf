from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from ivp.accounts import views
from ivp.accounts.forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path(
        "inloggen/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "wachtwoord/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/wachtwoord.html",
            success_url=reverse_lazy("accounts:wachtwoord_gewijzigd"),
        ),
        name="wachtwoord",
    ),
    path(
        "wachtwoord/gewijzigd/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/wachtwoord_klaar.html"),
        name="wachtwoord_gewijzigd",
    ),
    path("uitnodiging/<str:token>/", views.uitnodiging, name="uitnodiging"),
    path("postvak/", views.postvak, name="postvak"),
    path("organisaties/", views.organisaties, name="organisaties"),
    path("organisaties/nieuw/", views.organisatie_new, name="organisatie_new"),
    path("organisaties/<int:pk>/", views.organisatie, name="organisatie"),
    path("organisaties/<int:pk>/uitnodigen/", views.uitnodigen, name="uitnodigen"),
    path("organisaties/<int:pk>/leden/<int:lid>/", views.lid, name="lid"),
    path(
        "organisaties/<int:pk>/leden/<int:lid>/opnieuw-uitnodigen/",
        views.lid_opnieuw_uitnodigen,
        name="lid_opnieuw_uitnodigen",
    ),
    path(
        "organisaties/<int:pk>/leden/<int:lid>/verwijderen/",
        views.lid_verwijderen,
        name="lid_verwijderen",
    ),
]
