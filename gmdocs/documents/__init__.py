"""Documents: text extraction, XLSX writers, DOCX rendering, PDF conversion and packaging."""
