Console.WriteLine("bench: not written yet");
return 0;
