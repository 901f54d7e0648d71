from dear.letters import services
from dear.letters.models import Letter


def test_recipient_sees_letter_only_after_delivery(home, jess, rory):
    letter = make_letter(jess, rory)
    services.send(jess, letter.pk)
    assert not Letter.objects.visible_to(rory).filter(pk=letter.pk).exists()


from tests.helpers import make_letter  # noqa: E402
