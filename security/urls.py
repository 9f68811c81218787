from django.urls import path

from security import views

app_name = "security"

urlpatterns = [
    path("account/", views.account_security, name="account_security"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/second-factor/enrol/", views.otp_enrol, name="otp_enrol"),
    path("account/second-factor/verify/", views.otp_verify, name="otp_verify"),
    path("account/second-factor/recovery-codes/", views.otp_recovery_codes, name="otp_recovery_codes"),
    path("account/api-tokens/", views.api_token_list, name="api_token_list"),
    path("account/api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/<int:pk>/role/", views.account_role, name="account_role"),
    path("accounts/<int:pk>/second-factor/reset/", views.account_otp_reset, name="account_otp_reset"),
    path("accounts/<int:pk>/unlock/", views.account_unlock, name="account_unlock"),
    path("accounts/api-tokens/", views.account_token_list, name="account_token_list"),
    path("accounts/api-tokens/<int:pk>/revoke/", views.account_token_revoke, name="account_token_revoke"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/export/", views.audit_export, name="audit_export"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
]
