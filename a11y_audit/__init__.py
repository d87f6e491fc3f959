"""Accessibility audits of web pages and sites against KWCAG 2.2 and WCAG 2.2."""
