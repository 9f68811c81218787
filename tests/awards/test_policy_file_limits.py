"""A policy document cannot exhaust the server: too long, nested too deeply or expanding through YAML aliases,
it is refused with a message, never a server error."""

import pytest
from django.utils import translation

from awards.policy_file import MAX_DOCUMENT_CHARS, PolicyFileError, load_policy


@pytest.mark.parametrize(
    ("text", "fmt", "words"),
    [
        ("[" * 200_000, "json", "嵌套层数过多"),
        ("[" * 100_000, "yaml", "嵌套层数过多"),
        ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b]\n",
         "yaml", "alias *a is not allowed"),
        ("# " + "x" * MAX_DOCUMENT_CHARS, "yaml", "超过 500000 个字符"),
    ],
    ids=["deep json", "deep yaml", "yaml aliases", "too long"],
)
def test_a_hostile_policy_document_is_refused_with_a_message(text, fmt, words):
    with translation.override("zh-hans"), pytest.raises(PolicyFileError) as caught:
        load_policy(text, fmt)
    assert words in str(caught.value)
