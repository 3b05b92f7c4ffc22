"""Write the built-in demo: a support-ticket classifier for an imaginary shop, Parcelbox.

``support_prompts.jsonl`` holds evaluation records: a long prompt (system text
with the category taxonomy, rules and eight worked examples, identical in every
record, then the ticket), a one-line short prompt for a fine-tuned model, and
the expected JSON label. ``support_train.jsonl`` holds chat fine-tuning
examples in OpenAI's format. Tickets come from templates filled by a seeded
random generator, so the output is the same on every run.

Run ``python costmodel/demo/make_demo.py [OUT_DIR]`` (default: this folder).
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

PROMPT_RECORDS = 240
TRAIN_RECORDS = 300
PROMPT_SEED = 2024
TRAIN_SEED = 7

SHORT_INSTRUCTION = "Classify this Parcelbox support ticket; reply with JSON category and priority."
TRAIN_SYSTEM = "You classify Parcelbox support tickets. Reply with JSON: category, priority."

SYSTEM_PROMPT = """\
You are the triage assistant of Parcelbox, an online shop that sells home and \
kitchen goods and runs a monthly subscription box. Each message you receive is \
one customer support ticket, written by a customer in an e-mail, the help \
widget or the mobile app. Your only job is to label the ticket so that it \
reaches the right team with the right urgency. You never answer the customer \
and you never invent facts about the order.

Categories (use exactly one, in lower case):
- billing: charges, invoices, VAT numbers, payment methods, failed or double \
payments, subscription price changes. Not refunds of returned goods.
- refund: the customer wants money back for an order, an item, a missing part \
or a cancelled subscription, including questions about the status of a refund \
that was already promised.
- shipping: delivery dates, tracking, lost or late parcels, wrong address, \
damaged packaging on arrival, customs, pick-up points.
- login: signing in, passwords, reset links, two-factor codes, locked \
accounts, single sign-on with Google or Apple.
- account: changes to the account itself: e-mail address, name, saved \
addresses, newsletter settings, data export, deleting the account.
- bug: something in the website or the app does not work as designed: \
crashes, blank pages, buttons that do nothing, wrong totals in the basket, \
error messages. Use bug even when the customer blames their own device.
- product: questions about an item before or after purchase: sizes, \
materials, compatibility, care instructions, stock, warranty coverage.
- feature_request: the customer asks for something Parcelbox does not offer \
yet, such as a new payment option, a dark mode or a gift-wrapping choice.

Priorities:
- urgent: money was taken wrongly right now, the customer cannot use a paid \
service at all, a safety problem with a product, or a legal threat.
- high: an order is late by more than five days or lost, a refund is overdue, \
the customer is locked out, or the tone is very angry.
- normal: a real problem with a workaround or no deadline.
- low: questions, suggestions, compliments and anything purely informative.

Rules:
1. Read the whole ticket before deciding; the real request is often at the end.
2. When a ticket mentions several topics, label the one the customer asks us \
to act on. A refund request caused by a late parcel is refund, not shipping.
3. A customer who cannot sign in because the app crashes has a bug, not a \
login problem. Reset links that expire are login.
4. Ignore signatures, quoted earlier replies, order footers and greetings.
5. Never raise the priority because the customer says "urgent"; judge the \
facts. Never lower it because the customer is polite.
6. Safety issues (burns, sparks, sharp broken glass, allergic reactions) are \
always urgent, whatever the category.
7. If the ticket is empty, spam or not about Parcelbox, use product with \
priority low.
8. Reply with one JSON object on a single line and nothing else: \
{"category": "...", "priority": "..."}. No comments, no code fences.

Examples:

Ticket:
Hi, I was charged twice for order PB-20931 (2 x 48.90 EUR on my card \
statement). Please fix this, the second payment is blocking my rent.
Answer: {"category": "billing", "priority": "urgent"}

Ticket:
Good morning! Does the Nordic linen duvet cover come in 155 x 220? The size \
chart only lists 140 and 200 widths.
Answer: {"category": "product", "priority": "low"}

Ticket:
My parcel PB-31877 was supposed to arrive on the 3rd and tracking has said \
"in transit" for nine days. Nobody answers the courier hotline.
Answer: {"category": "shipping", "priority": "high"}

Ticket:
The password reset e-mail arrives but the link always says "token expired", \
even when I click it within a minute. I have tried three times today.
Answer: {"category": "login", "priority": "high"}

Ticket:
I returned the cast-iron pan five weeks ago, you confirmed receipt on the \
12th and promised the refund within ten days. Still nothing on my account.
Answer: {"category": "refund", "priority": "high"}

Ticket:
When I tap "apply voucher" in the iPhone app the whole app closes. On the \
website the same code works, so I ordered there, but please fix the app.
Answer: {"category": "bug", "priority": "normal"}

Ticket:
It would be great if you offered a plastic-free packaging option, even for a \
small extra fee. Love the subscription box otherwise!
Answer: {"category": "feature_request", "priority": "low"}

Ticket:
The kettle I received yesterday sparks at the base when I switch it on. I \
unplugged it immediately. What should I do?
Answer: {"category": "product", "priority": "urgent"}

Now label the following ticket.

Ticket:
"""

NAMES = ["Anna", "Marek", "Sofia", "Tom", "Leila", "Jonas", "Priya", "Luis", "Ines", "Kenji"]
GREETINGS = ["Hi", "Hello", "Hey there", "Good morning", "Dear Parcelbox team", "Hi team", ""]
SIGN_OFFS = ["Thanks", "Thank you", "Best regards", "Cheers", "Kind regards", "Regards", ""]
PRODUCTS = [
    "cast-iron pan",
    "bamboo cutting board",
    "Nordic linen duvet cover",
    "glass storage jar set",
    "electric kettle",
    "ceramic dinner set",
    "stand mixer",
    "wool throw blanket",
    "stainless steel knife set",
    "oak spice rack",
    "cotton bath towel set",
    "French press",
]
COURIERS = ["DHL", "UPS", "DPD", "GLS", "the postal service"]
DEVICES = ["iPhone", "Android phone", "iPad", "laptop", "Chromebook"]
BROWSERS = ["Chrome", "Firefox", "Safari", "Edge"]
PAYMENTS = ["Visa card", "Mastercard", "PayPal account", "bank transfer", "Apple Pay"]
FEATURES = [
    "a dark mode in the app",
    "paying by invoice",
    "gift wrapping with a handwritten card",
    "skipping a month of the subscription box",
    "choosing a delivery time window",
    "a wish list I can share with family",
    "sorting products by sustainability rating",
    "a Spanish version of the website",
]

# (category, priority, template). Slots: {order} {product} {amount} {days}
# {courier} {device} {browser} {payment} {feature} {weeks}.
TEMPLATES: list[tuple[str, str, str]] = [
    (
        "billing",
        "urgent",
        "I was charged {amount} twice for order {order}. Both payments are on my {payment}. "
        "Please reverse one of them today.",
    ),
    (
        "billing",
        "normal",
        "The invoice for order {order} shows the wrong VAT number. Could you send a corrected "
        "invoice? My accountant needs it by the end of the month.",
    ),
    (
        "billing",
        "normal",
        "My subscription box went up from 29.90 to 34.90 without any e-mail about it. Why did "
        "the price change?",
    ),
    (
        "billing",
        "high",
        "Payment for order {order} failed three times with my {payment}, but the money is "
        "reserved on my account each time. What is going on?",
    ),
    (
        "refund",
        "high",
        "I sent the {product} back {weeks} weeks ago and the tracking shows you received it. "
        "Where is my refund of {amount}?",
    ),
    (
        "refund",
        "normal",
        "The {product} from order {order} arrived with a missing part. I do not want a "
        "replacement, please just refund {amount}.",
    ),
    (
        "refund",
        "normal",
        "I cancelled my subscription before the renewal date but was still billed {amount}. "
        "Please refund this month.",
    ),
    (
        "refund",
        "high",
        "Order {order} never arrived and {courier} says it was returned to you. I want my "
        "money back, not a new delivery.",
    ),
    (
        "shipping",
        "high",
        "Order {order} was due {days} days ago. Tracking with {courier} has not moved since it "
        "left your warehouse.",
    ),
    (
        "shipping",
        "normal",
        "Can I still change the delivery address for order {order}? I typed my old street by "
        "mistake.",
    ),
    (
        "shipping",
        "normal",
        "The box for order {order} was crushed on arrival. The {product} inside seems fine but "
        "I wanted you to know.",
    ),
    (
        "shipping",
        "low",
        "Do you deliver to pick-up points in Austria, or only to home addresses?",
    ),
    (
        "login",
        "high",
        "I am locked out after entering the two-factor code. It says my account is blocked for "
        "24 hours and I have an open order.",
    ),
    (
        "login",
        "normal",
        "Sign in with Apple stopped working on my {device}. It just goes back to the login screen.",
    ),
    (
        "login",
        "high",
        "The reset link says the token expired every time I open it, on {browser} and in the "
        "app. I cannot get into my account.",
    ),
    (
        "account",
        "normal",
        "Please change the e-mail address on my account; I no longer have access to the old one.",
    ),
    (
        "account",
        "low",
        "How do I stop the weekly newsletter but keep the order confirmations?",
    ),
    (
        "account",
        "normal",
        "I would like to delete my account and all data you keep about me, as the law allows.",
    ),
    (
        "account",
        "low",
        "Could you send me an export of my order history for the last two years?",
    ),
    (
        "bug",
        "normal",
        "The basket total on {browser} shows {amount} but the checkout page charges a different "
        "amount. Looks like the voucher is applied twice.",
    ),
    (
        "bug",
        "normal",
        "Your app crashes on my {device} as soon as I open the orders tab. I reinstalled it twice.",
    ),
    (
        "bug",
        "high",
        "I cannot pay at all: the checkout button does nothing on {browser} and the app shows "
        "error 500. My basket has {amount} of items I need this week.",
    ),
    (
        "bug",
        "low",
        "Small thing: the product photos on the {product} page load upside down on my {device}.",
    ),
    (
        "product",
        "low",
        "Is the {product} dishwasher safe? The page does not say.",
    ),
    (
        "product",
        "low",
        "When will the {product} be back in stock? I have been waiting since spring.",
    ),
    (
        "product",
        "urgent",
        "The {product} I bought got extremely hot on the handle and burned my hand. Is this "
        "normal? I stopped using it.",
    ),
    (
        "product",
        "normal",
        "Is the {product} covered by the warranty after 14 months? One part has come loose.",
    ),
    (
        "feature_request",
        "low",
        "Please consider {feature}. It would make ordering much easier for me.",
    ),
    (
        "feature_request",
        "low",
        "Any plans for {feature}? Several friends of mine asked the same.",
    ),
]

OPENERS = [
    "",
    "I hope you can help. ",
    "Sorry to bother you again. ",
    "This is my second message about this. ",
    "Quick question. ",
]
ADDITIONS = [
    "",
    " I attached a screenshot.",
    " My customer number is {customer}.",
    " I have been a customer for {years} years.",
    " Please answer by e-mail, I rarely check the app.",
    " This is really frustrating.",
]


def _fill(template: str, rng: random.Random) -> str:
    """Fill every slot a template may use; unused values are simply ignored."""
    return template.format(
        order=f"PB-{rng.randint(10000, 99999)}",
        product=rng.choice(PRODUCTS),
        amount=f"{rng.randint(9, 240)}.{rng.choice(['00', '50', '90', '99'])} EUR",
        days=rng.randint(6, 21),
        weeks=rng.randint(2, 7),
        courier=rng.choice(COURIERS),
        device=rng.choice(DEVICES),
        browser=rng.choice(BROWSERS),
        payment=rng.choice(PAYMENTS),
        feature=rng.choice(FEATURES),
        customer=rng.randint(100000, 999999),
        years=rng.randint(2, 9),
    )


def make_ticket(rng: random.Random) -> tuple[str, dict[str, str]]:
    """One ticket with its label: greeting, request, an optional remark, a sign-off."""
    category, priority, template = rng.choice(TEMPLATES)
    body = rng.choice(OPENERS) + _fill(template, rng) + _fill(rng.choice(ADDITIONS), rng)
    greeting = rng.choice(GREETINGS)
    sign_off = rng.choice(SIGN_OFFS)
    parts = [f"{greeting}," if greeting else "", body]
    if sign_off:
        parts.append(f"{sign_off},\n{rng.choice(NAMES)}")
    ticket = "\n".join(part for part in parts if part)
    return ticket, {"category": category, "priority": priority}


def prompt_records(count: int, seed: int) -> list[dict[str, str]]:
    """Evaluation records: the same long system prompt and few-shot block for every ticket."""
    rng = random.Random(seed)
    records = []
    for _ in range(count):
        ticket, label = make_ticket(rng)
        records.append(
            {
                "long_prompt": SYSTEM_PROMPT + ticket,
                "short_prompt": f"{SHORT_INSTRUCTION}\n{ticket}",
                "output": json.dumps(label),
            }
        )
    return records


def train_records(count: int, seed: int) -> list[dict[str, list[dict[str, str]]]]:
    """Chat fine-tuning examples: short system line, the ticket, the label."""
    rng = random.Random(seed)
    records = []
    for _ in range(count):
        ticket, label = make_ticket(rng)
        messages = [
            {"role": "system", "content": TRAIN_SYSTEM},
            {"role": "user", "content": ticket},
            {"role": "assistant", "content": json.dumps(label)},
        ]
        records.append({"messages": messages})
    return records


def write_jsonl(path: Path, records: Sequence[Mapping[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else Path(__file__).parent
    write_jsonl(out / "support_prompts.jsonl", prompt_records(PROMPT_RECORDS, PROMPT_SEED))
    write_jsonl(out / "support_train.jsonl", train_records(TRAIN_RECORDS, TRAIN_SEED))


if __name__ == "__main__":
    main(sys.argv[1:])
