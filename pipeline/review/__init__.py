"""Tools for reviewers and data teams behind the notebooks: the review session, its
widgets and the explore figures."""
