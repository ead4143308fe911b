def summary_markdown(result):
    return f"values: {result['values']}\n"
