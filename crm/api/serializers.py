from rest_framework import serializers

from crm.access import can_see_personal_data
from crm.models import Bureau, Contact, Enterprise, Industry, KeyIndustry
from crm.personal_data import mask_value, personal_fields
from crm.validators import validate_credit_code


class BureauSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bureau
        fields = ["id", "code", "name", "short_name", "kind", "review_scope", "reviews_by_default",
                  "reviews_only_with_land", "review_due_working_days"]


class IndustrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Industry
        fields = ["id", "code", "name", "name_en"]


class EnterpriseSerializer(serializers.ModelSerializer):
    key_industries = serializers.PrimaryKeyRelatedField(queryset=KeyIndustry.objects.all(), many=True,
                                                        required=False)

    class Meta:
        model = Enterprise
        fields = ["id", "name", "credit_code", "kind", "industry", "key_industries", "origin_province",
                  "origin_country", "registered_capital_wan", "address", "notes", "version", "created_at",
                  "updated_at"]
        read_only_fields = ["version", "created_at", "updated_at"]
        # Uniqueness is checked by the model, whose message names the enterprise that holds the code.
        extra_kwargs = {"credit_code": {"validators": [validate_credit_code], "allow_null": True,
                                        "required": False}}


class EnterpriseWriteSerializer(EnterpriseSerializer):
    version = serializers.IntegerField(required=False, min_value=1)

    class Meta(EnterpriseSerializer.Meta):
        read_only_fields = ["created_at", "updated_at"]


class PersonalDataSerializerMixin:
    """Minimum necessary (docs/security.md): the model's personal-data fields (crm.personal_data.PERSONAL_DATA)
    are masked for roles that do not call investors. Put it first among a ModelSerializer's bases."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        reveal = request is not None and can_see_personal_data(request.user)
        for field, kind in personal_fields(self.Meta.model).items():
            if field in data:
                data[field] = mask_value(kind, data[field], reveal=reveal)
        return data


class ContactSerializer(PersonalDataSerializerMixin, serializers.ModelSerializer):
    version = serializers.IntegerField(min_value=1, required=False,
                                       help_text="On a change: the version you read (409 if it changed since).")

    class Meta:
        model = Contact
        fields = ["id", "enterprise", "name", "title", "mobile", "phone", "email", "is_primary", "notes", "version"]
