"""Who the demo city is. One place, so the ledger, the indicators and the samples agree."""

from __future__ import annotations

from dataclasses import dataclass

CITY_NAME = "滨江市"
BUREAU_NAME = "滨江市教育局"
CITY_CODE = "3399"  # not a real administrative code: the demo city does not exist


@dataclass(frozen=True)
class District:
    code: str
    name: str
    urban: bool  # urban cores are denser: larger schools, more migrant children


DISTRICTS: tuple[District, ...] = (
    District("339901", "江东区", True),
    District("339902", "江北区", True),
    District("339903", "临江区", True),
    District("339904", "望湖区", True),
    District("339905", "高新区", True),
    District("339906", "滨海新区", True),
    District("339907", "青山区", False),
    District("339908", "石门县", False),
    District("339909", "云溪县", False),
    District("339910", "桃源县", False),
    District("339911", "龙泉市", False),
)

# The bureau's departments (科室): each can lead (牵头) or co-operate on (配合) a task.
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("office", "办公室"),
    ("supervision", "督查室"),
    ("policy", "政策法规处"),
    ("planning", "发展规划处"),
    ("preschool", "学前教育处"),
    ("basic", "基础教育处"),
    ("vocational", "职业教育与成人教育处"),
    ("higher", "高等教育处"),
    ("teachers", "教师工作处"),
    ("moral", "德育与体卫艺处"),
    ("finance", "财务处"),
    ("facilities", "基建与装备处"),
    ("safety", "安全稳定处"),
    ("inspection", "教育督导室"),
    ("informatization", "信息化工作处"),
    ("party", "机关党委"),
)
