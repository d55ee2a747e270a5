{#- The directory's filter data for static/finder.js: per enterprise the texts of its card and
    the slugs each filter matches it by (werkgebied: every region and municipality it delivers
    in, "*" for everywhere). A script calling a global, so it loads from disk (file://) too. -#}
{%- from "macros.html" import card_meta_text, delivery_text -%}
{%- set categories = {} -%}
{%- for term in site.taxonomies.category.values() if term.enterprises %}{% set _ = categories.update({term.slug: term.label}) %}{% endfor -%}
"use strict";
SitegenFinder.receive({"categories": {{ categories | json_ld }}, "enterprises": [
{% for e in site.enterprises %}
{{ {"url": url(e.url), "name": e.name, "meta": card_meta_text(e) | striptags, "area": delivery_text(e) | striptags,
    "summary": e.summary, "example": e.example, "categorie": e.categories,
    "werkgebied": ["*"] if e.delivery.nationwide else e.delivery.areas | sort, "thema": e.impact,
    "erkenning": e.recognition_types, "omvang": e.size, "voorbehouden": e.reserved_contract_eligible == "ja",
    "social-return": e.counts_for_social_return == true} | json_ld }}{{ "," if not loop.last }}
{% endfor %}
]});
