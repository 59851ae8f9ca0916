"""Bring a blog over from Blogger or WordPress: an export file in, posts and pages out."""
