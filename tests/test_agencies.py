from normalizers.agencies import agency_row


def test_issuer_levels_and_jurisdictions():
    row = agency_row("Ủy ban nhân dân thành phố Hà Nội")
    assert (row["agency_id"], row["level"], row["jurisdiction"]) == \
        ("uy-ban-nhan-dan-thanh-pho-ha-noi", "province", "Hà Nội")
    assert agency_row("Ủy ban nhân dân phường Bắc Sơn")["level"] == "commune"
    assert agency_row("Sở Y tế tỉnh Nghệ An")["jurisdiction"] == "Nghệ An"
    assert agency_row("Thành ủy Hà Nội")["level"] == "party"
    assert agency_row("Thủ tướng Chính phủ") == {
        "agency_id": "thu-tuong-chinh-phu", "canonical_name": "Thủ tướng Chính phủ",
        "level": "central", "jurisdiction": "", "aliases": "Thủ tướng Chính phủ"}
