from __future__ import annotations

import pytest

from seamline.connectors.llm_profiles import Profile
from seamline.connectors.llm_wire import AnthropicWire, ModelRequest, OpenAIWire, error_message
from seamline.errors import WireError

CONVERSATION = [
    {"role": "user", "content": "q"},
    {
        "role": "assistant",
        "content": "",
        "tool_calls": [
            {"id": "t1", "name": "f", "arguments": {"x": 1}},
            {"id": "t2", "name": "f", "arguments": "not json"},
        ],
    },
    {"role": "tool", "tool_call_id": "t1", "name": "f", "content": "1", "is_error": False},
    {"role": "tool", "tool_call_id": "t2", "name": "f", "content": "bad", "is_error": True},
]
TOOLS = [{"name": "f", "description": "d", "parameters": {"type": "object"}}]


def request(**kw: object) -> ModelRequest:
    return ModelRequest(model="m", system="s", messages=CONVERSATION, tools=TOOLS, **kw)  # type: ignore[arg-type]


def test_openai_body() -> None:
    profile = Profile("p", "openai", "http://x/v1", response_format="none")
    body = OpenAIWire().body(request(schema={"type": "object"}), profile)
    assert "response_format" not in body and "max_tokens" not in body
    assert body["messages"][0] == {"role": "system", "content": "s"}
    calls = body["messages"][2]["tool_calls"]
    assert body["messages"][2]["content"] is None
    assert [c["function"]["arguments"] for c in calls] == ['{"x": 1}', "not json"]
    assert body["messages"][3] == {"role": "tool", "tool_call_id": "t1", "content": "1"}
    assert body["tools"][0]["function"]["name"] == "f"
    assert OpenAIWire().url("http://x/v1/") == "http://x/v1/chat/completions"
    assert OpenAIWire().headers(profile, None) == {"Content-Type": "application/json"}


def test_anthropic_body_groups_tool_results_and_marks_errors() -> None:
    profile = Profile("p", "anthropic", "http://x")
    body = AnthropicWire().body(request(max_tokens=50, temperature=0.0), profile)
    assert body["system"] == "s" and body["max_tokens"] == 50 and body["temperature"] == 0.0
    assistant, results = body["messages"][1:]
    assert [b["input"] for b in assistant["content"]] == [{"x": 1}, {}]
    assert results["role"] == "user"
    assert results["content"][1] == {
        "type": "tool_result",
        "tool_use_id": "t2",
        "content": "bad",
        "is_error": True,
    }
    assert body["tools"][0]["input_schema"] == {"type": "object"}
    assert AnthropicWire().url("http://x/v1") == "http://x/v1/messages"
    assert AnthropicWire().url("http://x") == "http://x/v1/messages"


def test_parse_replies() -> None:
    reply = OpenAIWire().parse(
        {
            "model": "m1",
            "choices": [
                {
                    "message": {
                        "content": None,
                        "tool_calls": [{"id": "a", "function": {"name": "f", "arguments": ""}}],
                    },
                    "finish_reason": "tool_calls",
                }
            ],
            "usage": {"prompt_tokens": 3, "completion_tokens": 4},
        }
    )
    assert reply.text == "" and reply.tool_requests[0].arguments == {}
    assert (reply.input_tokens, reply.output_tokens, reply.model) == (3, 4, "m1")
    reply = AnthropicWire().parse(
        {"content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}
    )
    assert reply.text == "ab" and reply.input_tokens == 0
    with pytest.raises(WireError):
        OpenAIWire().parse({"choices": []})
    with pytest.raises(WireError):
        AnthropicWire().parse({"content": "text"})


def test_error_message_reads_both_shapes() -> None:
    assert error_message({"error": {"message": "m", "type": "t"}}) == "m"
    assert error_message({"type": "error", "error": {"type": "t", "message": "n"}}) == "n"
    assert error_message({"error": "plain"}) == "plain"
    assert error_message("html") == ""
