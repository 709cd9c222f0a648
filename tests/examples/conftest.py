import pytest
from infobip_api_client import ApiClient, Configuration
from infobip_api_client.api.sms_api import SmsApi
from infobip_api_client.models.sms_destination import SmsDestination
from infobip_api_client.models.sms_message import SmsMessage
from infobip_api_client.models.sms_message_content import SmsMessageContent
from infobip_api_client.models.sms_request import SmsRequest
from infobip_api_client.models.sms_text_content import SmsTextContent


class OtpApp:
    """The system under test: it texts one-time passwords through the official client."""

    def __init__(self) -> None:
        self.sms: SmsApi | None = None

    def configure(self, *, infobip_base_url: str, api_key: str) -> None:
        self.sms = SmsApi(ApiClient(Configuration(host=infobip_base_url, api_key=api_key)))

    def send_otp(self, number: str) -> None:
        assert self.sms is not None, "configure() first"
        message = SmsMessage(
            sender="MyApp",
            destinations=[SmsDestination(to=number)],
            content=SmsMessageContent(SmsTextContent(text="Your code is 123456")),
        )
        self.sms.send_sms_messages(SmsRequest(messages=[message]))


@pytest.fixture
def my_app() -> OtpApp:
    return OtpApp()
