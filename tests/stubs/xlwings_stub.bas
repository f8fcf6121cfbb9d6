Attribute VB_Name = "xlwings"
' Test stand-in for xlwings' module: RunPython records the Python it was asked to run
' instead of starting Python. tests/test_macros.py swaps it in, in LibreOffice only.
Option Explicit

Private Calls As String

Public Function RunPython(PythonCommand As String)
    Calls = Calls & PythonCommand & Chr(10)
End Function

' What RunPython recorded since the last call, one command per line.
Public Function TakeCalls() As String
    TakeCalls = Calls
    Calls = ""
End Function
