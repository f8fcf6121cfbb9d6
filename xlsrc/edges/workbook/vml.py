"""Form buttons as Excel stores them: a legacy VML drawing part per sheet, one shape per
button, <x:ClientData ObjectType="Button"> naming the macro in <x:FmlaMacro>.

The shapes follow what Excel writes (and XlsxWriter's insert_button reproduces); the sheet
points at the part through <legacyDrawing>, which openpyxl writes for us.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from xlsrc.edges.workbook.buttons import Anchor, Button

SHAPES_PER_DRAWING = 1024  # VML shape ids: _x0000_s{1024 * drawing number + n}


def part_name(number: int) -> str:
    return f"xl/drawings/vmlDrawing{number}.vml"


def drawing(number: int, buttons: list[tuple[Button, Anchor]]) -> bytes:
    """The VML part `number` (1, 2, ...: unique in the workbook) holding `buttons`."""
    shapes = "".join(
        _shape(SHAPES_PER_DRAWING * number + i, i, button, anchor)
        for i, (button, anchor) in enumerate(buttons, start=1)
    )
    return (
        '<xml xmlns:v="urn:schemas-microsoft-com:vml"'
        ' xmlns:o="urn:schemas-microsoft-com:office:office"'
        ' xmlns:x="urn:schemas-microsoft-com:office:excel">'
        f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{number}"/></o:shapelayout>'
        '<v:shapetype id="_x0000_t201" coordsize="21600,21600" o:spt="201"'
        ' path="m,l,21600r21600,l21600,xe">'
        '<v:stroke joinstyle="miter"/>'
        '<v:path shadowok="f" o:extrusionok="f" strokeok="f" fillok="f" o:connecttype="rect"/>'
        '<o:lock v:ext="edit" shapetype="t"/>'
        "</v:shapetype>"
        f"{shapes}</xml>"
    ).encode()


def _shape(shape_id: int, z_index: int, button: Button, anchor: Anchor) -> str:
    style = (
        f"position:absolute;margin-left:{anchor.left_pt:g}pt;margin-top:{anchor.top_pt:g}pt;"
        f"width:{anchor.width_pt:g}pt;height:{anchor.height_pt:g}pt;z-index:{z_index};"
        "mso-wrap-style:tight"
    )
    return (
        f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t201" style={quoteattr(style)}'
        ' o:button="t" fillcolor="buttonFace [67]" strokecolor="windowText [64]"'
        ' o:insetmode="auto">'
        '<v:fill color2="buttonFace [67]" o:detectmouseclick="t"/>'
        '<o:lock v:ext="edit" rotation="t"/>'
        '<v:textbox style="mso-direction-alt:auto" o:singleclick="f">'
        '<div style="text-align:center">'
        f'<font face="Calibri" size="220" color="#000000">{escape(button.label)}</font>'
        "</div></v:textbox>"
        '<x:ClientData ObjectType="Button">'
        f"<x:Anchor>{anchor.vml()}</x:Anchor>"
        "<x:PrintObject>False</x:PrintObject>"
        "<x:AutoFill>False</x:AutoFill>"
        f"<x:FmlaMacro>[0]!{escape(button.macro)}</x:FmlaMacro>"
        "<x:TextHAlign>Center</x:TextHAlign>"
        "<x:TextVAlign>Center</x:TextVAlign>"
        "</x:ClientData></v:shape>"
    )
